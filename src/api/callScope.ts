import type { AsyncResource } from 'node:async_hooks';
import { context, logs, trace, type Attributes, type Context, type Logger, type LoggerProvider, type Span } from '@opentelemetry/api';
import { ATTR } from '../policy/attributes.ts';
import { CALL_ID_KEY, claimPendingCall } from '../state/callContext.ts';
import { runInCall, type RunnableCall } from './runInCall.ts';
import { eventRecord } from './eventRecord.ts';
import { LayerContext } from './LayerContext.ts';
import { keptCallId } from '../config/boundedStrings.ts';
import { safeAttributes } from '../pipeline/sanitize/entryValues.ts';

export interface CallScope {
  readonly id: string;
  /** Runs `fn` inside the call: records logged in it (and across its awaits) belong to the call. */
  run<T>(fn: () => T): T;
  /** Emits CALL_END (the processor stamps the summary) and frees the call's state. Idempotent. */
  end(attributes?: Attributes): void;
}

export interface StartCallOptions {
  /** Where CALL_START and CALL_END go; default: the provider registered in the logs API now. */
  provider?: LoggerProvider;
}

const PACKAGE_SCOPE = 'otel-log-policy';

class Call implements CallScope, RunnableCall {
  readonly id: string;
  locals: unknown[] | undefined;
  readonly ctx: Context;
  managerSeen: unknown = undefined;
  registry: Record<string, unknown> | undefined = undefined;
  managerCarries = false;
  /** Unused: by hand, `run` keeps the caller's other storages (see callFrame). */
  frame: AsyncResource | undefined = undefined;
  private readonly span: Span;
  /** The provider registered when the call started gets its whole lifecycle, whatever is registered later. */
  private readonly lifecycle: Logger;
  private ended = false;

  constructor(id: string, attributes: Attributes | undefined, provider: LoggerProvider) {
    this.id = id;
    this.lifecycle = provider.getLogger(PACKAGE_SCOPE);
    const parent = context.active();
    // The call's span gives its records one trace id; a no-op span when tracing is off.
    this.span = trace.getTracer(PACKAGE_SCOPE).startSpan('call', { attributes: { [ATTR.callId]: id } }, parent);
    this.ctx = trace.setSpan(new LayerContext(parent, CALL_ID_KEY, this), this.span);
    this.emit('CALL_START', { ...attributes, [ATTR.callId]: id }, `call ${id} started`);
    claimPendingCall(parent, id);
  }

  run<T>(fn: () => T): T {
    return runInCall(this, fn, undefined);
  }

  end(attributes?: Attributes): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('CALL_END', { ...safeAttributes(attributes), [ATTR.callId]: this.id }, `call ${this.id} ended`);
    this.span.end();
    // The helpers' per-call values go with the call.
    this.locals = undefined;
  }

  /** With the call's context passed explicitly, so the span's ids arrive even with no context manager. */
  private emit(name: string, attributes: Attributes, message: string): void {
    this.lifecycle.emit({ ...eventRecord(name, attributes, message), context: this.ctx });
  }
}

/** Opens a call: emits CALL_START and returns the scope whose `run` carries the call id. */
export function startCall(callId: string, attributes?: Attributes, options: StartCallOptions = {}): CallScope {
  return new Call(keptCallId(callId), safeAttributes(attributes), options.provider ?? logs.getLoggerProvider());
}
