import type { AsyncResource } from 'node:async_hooks';
import { context, logs, trace, type Attributes, type Context, type Logger, type Span } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { CALL_ID } from '../config/envReaders.ts';
import { ATTR } from '../policy/attributes.ts';
import { approximateSize } from '../pipeline/hooks/recorder/recordSize.ts';
import { eventRecord } from '../api/eventRecord.ts';
import { LayerContext } from '../api/LayerContext.ts';
import { CALL_ID_KEY, type PendingCall } from '../state/callContext.ts';
import { runInCall, type RunnableCall } from '../api/runInCall.ts';
import type { FlatTable } from '../state/flatTable.ts';
import { safeAttributes, type CallName, type CallProtocol } from './protocols.ts';
import type { CallsCounters } from './CallsCounters.ts';

const PACKAGE_SCOPE = 'otel-log-policy';

export interface CallTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What every automatic call of one instrumentation shares. */
export interface CallHost {
  readonly protocols: readonly CallProtocol[];
  readonly namingDeadlineMs: number;
  readonly maxHeldRecords: number;
  readonly maxHeldBytes: number;
  /** Messages inspected for a name; past them the call takes its fallback id. */
  readonly maxInspected: number;
  /** Text messages longer than this are not parsed for a name. */
  readonly maxMessageBytes: number;
  readonly timers: CallTimers;
  readonly now: () => number;
  readonly counters: CallsCounters;
}

/** How the fallback id was found, for `call.named_by` when no protocol message names the call. */
export type FallbackSource = 'url' | 'header' | 'generated';

interface Held {
  processor: LogRecordProcessor;
  record: ReadWriteLogRecord;
  context: Context | undefined;
}

/**
 * One accepted websocket connection as a call. It opens unnamed: records logged in it are held
 * (bounded) until the stream's start message names it, the deadline passes or the socket closes;
 * then CALL_START goes out with the final id and the connection's time, the held records follow in
 * order, and the call runs on as a plain call scope until CALL_END at close.
 */
export class AutoCall implements PendingCall, RunnableCall {
  id: string;
  pending = true;
  /** The helpers' values (RateLimiter, OncePerCall) for this call. */
  locals: FlatTable | undefined;
  /** The provider registered when the connection opened gets the call's whole lifecycle. */
  private readonly lifecycle: Logger;
  private readonly host: CallHost;
  readonly ctx: Context;
  managerSeen: unknown = undefined;
  registry: Record<string, unknown> | undefined = undefined;
  managerCarries = false;
  frame: AsyncResource | undefined = undefined;
  private readonly span: Span;
  private readonly fallbackSource: FallbackSource;
  private readonly provisionalId: string;
  private readonly attributes: Attributes;
  /** Date.now(), as the SDK dates records: CALL_START is never later than what the call logs after it. */
  private readonly connectedAt = Date.now();
  private readonly openedAt: number;
  private held: Held[] = [];
  private heldBytes = 0;
  private inspected = 0;
  private timer: unknown;
  private ended = false;
  /** The app scoped this call itself (see `claim`): no CALL_START or CALL_END from here. */
  private silent = false;

  constructor(host: CallHost, fallbackId: string, fallbackSource: FallbackSource, attributes: Attributes) {
    this.host = host;
    this.id = this.provisionalId = fallbackId;
    this.fallbackSource = fallbackSource;
    this.attributes = attributes;
    this.openedAt = host.now();
    this.lifecycle = logs.getLoggerProvider().getLogger(PACKAGE_SCOPE);
    // The context the upgrade completes in (the HTTP request's span, if something traces HTTP).
    const parent = context.active();
    this.span = trace.getTracer(PACKAGE_SCOPE).startSpan('call', { attributes: { ...attributes } }, parent);
    this.ctx = trace.setSpan(new LayerContext(parent, CALL_ID_KEY, this), this.span);
    host.counters.opened++;
    this.timer = host.timers.setTimeout(() => this.run(() => this.name(this.provisionalId, this.fallbackSource, {})), host.namingDeadlineMs);
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }

  run<T>(fn: () => T): T {
    return runInCall(this, fn, undefined);
  }

  hold(processor: LogRecordProcessor, record: ReadWriteLogRecord, ctx: Context | undefined): boolean {
    if (!this.pending) return false;
    const size = approximateSize(record);
    if (this.held.length >= this.host.maxHeldRecords || this.heldBytes + size > this.host.maxHeldBytes) {
      // Full: the call takes its fallback id now, rather than hold without bound or lose records.
      this.host.counters.heldOverflows++;
      this.run(() => this.name(this.provisionalId, this.fallbackSource, {}));
      return false;
    }
    this.held.push({ processor, record, context: ctx });
    this.heldBytes += size;
    this.host.counters.heldRecords++;
    return true;
  }

  claim(id: string): void {
    if (!this.pending) return;
    this.silent = true;
    this.host.counters.claimed++;
    this.run(() => this.name(id, 'app', {}));
  }

  /** A message from the peer, before the listeners see it: does it name the call? */
  inspect(data: unknown, isBinary: unknown): void {
    if (!this.pending || isBinary === true) return;
    if (++this.inspected > this.host.maxInspected) {
      this.name(this.provisionalId, this.fallbackSource, {});
      return;
    }
    const text = textOf(data, this.host.maxMessageBytes);
    if (text === undefined) {
      this.host.counters.oversizedMessages++;
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.host.counters.unparsedMessages++;
      return;
    }
    let found = false;
    for (const protocol of this.host.protocols) {
      let named: CallName | undefined;
      try {
        named = protocol.callIdFrom(message);
      } catch {
        continue; // An adapter's bug is not the connection's problem.
      }
      if (named === undefined) continue;
      found = true;
      if (typeof named.id === 'string' && CALL_ID.test(named.id)) {
        this.name(named.id, protocol.name, safeAttributes(named.attributes));
        return;
      }
    }
    if (found) {
      // A start message with no usable id: nothing better is coming.
      this.host.counters.invalidIds++;
      this.name(this.provisionalId, this.fallbackSource, {});
    }
  }

  /** The socket closed: CALL_END with the close code and the connection's duration. */
  end(code: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.run(() => {
      this.name(this.provisionalId, this.fallbackSource, {});
      const attributes: Attributes = { [ATTR.callId]: this.id, 'ws.duration_ms': Math.round(this.host.now() - this.openedAt) };
      if (typeof code === 'number') attributes['ws.close_code'] = code;
      if (!this.silent) this.emit('CALL_END', attributes, `call ${this.id} ended`);
    });
    this.span.end();
    this.locals = undefined;
    this.host.counters.ended++;
  }

  /** Settles the id, emits CALL_START (dated at the connection) and releases the held records in order. */
  private name(id: string, namedBy: string, attributes: Attributes): void {
    if (!this.pending) return;
    this.pending = false;
    this.host.timers.clearTimeout(this.timer);
    this.id = id;
    if (!this.silent) this.host.counters.namedBy(namedBy);
    this.span.setAttribute(ATTR.callId, id);
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.run(() => {
      if (!this.silent) this.emit('CALL_START', { ...this.attributes, ...attributes, 'call.named_by': namedBy, [ATTR.callId]: id }, `call ${id} started`, this.connectedAt);
      for (const { processor, record, context: ctx } of held) {
        try {
          processor.onEmit(record, ctx);
        } catch {
          // The processor counts its own failures; a held record must not stop the others.
        }
      }
    });
  }

  private emit(name: string, attributes: Attributes, message: string, timestamp?: number): void {
    const record = { ...eventRecord(name, attributes, message), context: this.ctx };
    this.lifecycle.emit(timestamp === undefined ? record : { ...record, timestamp });
  }
}

/** A text frame's content, or undefined when it is larger than `max` bytes. */
function textOf(data: unknown, max: number): string | undefined {
  if (typeof data === 'string') return data.length <= max ? data : undefined;
  if (Buffer.isBuffer(data)) return data.length <= max ? data.toString('utf8') : undefined;
  if (data instanceof ArrayBuffer) return data.byteLength <= max ? Buffer.from(data).toString('utf8') : undefined;
  if (Array.isArray(data)) {
    const total = data.reduce((n: number, b: unknown) => n + (Buffer.isBuffer(b) ? b.length : 0), 0);
    return total <= max ? Buffer.concat(data as Buffer[]).toString('utf8') : undefined;
  }
  return undefined;
}
