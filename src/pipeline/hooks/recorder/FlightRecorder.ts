import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { CallRing, type RecordedEntry } from './CallRing.ts';
import { approximateSize } from './recordSize.ts';

/** Set on every record the recorder keeps, so a flushed record is told apart from one that passed. */
export const RECORDED_ATTRIBUTE = 'log.recorded';

export interface RecorderLimits {
  /** Records kept per call (the last n). */
  readonly records: number;
  /** Approximate bytes kept per call. */
  readonly bytesPerCall: number;
  /** Approximate bytes kept across all calls. */
  readonly totalBytes: number;
}

export interface RecorderStats {
  /** Dropped records kept in a call's ring. */
  recorded: number;
  /** Kept records sent downstream because their call had an error. */
  flushed: number;
  /** Kept records thrown away because their call ended cleanly (or its state was evicted). */
  discarded: number;
  /** Kept records pushed out of a ring by the record or byte caps before their call ended. */
  evicted: number;
  /** Records larger than the per-call cap, never kept. */
  tooLarge: number;
  /** Calls holding records right now, and the bytes they hold. */
  callsRecording: number;
  bytes: number;
}

/**
 * Per-call rings of the records the policy dropped, flushed downstream when the call fails
 * (the nearest idea is .NET's per-request log buffering). Bounded three ways: records per call,
 * bytes per call, bytes across calls (the oldest calls' records go first).
 */
export class FlightRecorder {
  private readonly limits: RecorderLimits;
  /** Insertion order is the order calls first kept a record, so the oldest are first. */
  private readonly rings = new Map<string, CallRing>();
  private readonly counts = { recorded: 0, flushed: 0, discarded: 0, evicted: 0, tooLarge: 0 };
  private bytes = 0;

  constructor(limits: RecorderLimits) {
    this.limits = limits;
  }

  /**
   * Keeps a dropped record of call `callId`, marking it `log.recorded=true` while it is still
   * writable (inside onEmit). False when it is too large to keep.
   */
  keep(callId: string, record: ReadWriteLogRecord, context: Context | undefined, reasonIndex: number, key: string | undefined): boolean {
    const bytes = approximateSize(record);
    if (bytes > this.limits.bytesPerCall) {
      this.counts.tooLarge++;
      return false;
    }
    let ring = this.rings.get(callId);
    if (ring === undefined) {
      ring = new CallRing(this.limits.records);
      this.rings.set(callId, ring);
    }
    while (ring.length >= this.limits.records || ring.bytes + bytes > this.limits.bytesPerCall) this.evictFrom(ring);
    while (this.bytes + bytes > this.limits.totalBytes && this.rings.size > 0) this.evictOldest();
    // The global cap may have emptied (and unlisted) this very ring.
    if (!this.rings.has(callId)) this.rings.set(callId, ring);
    record.setAttribute(RECORDED_ATTRIBUTE, true);
    ring.push({ record, context, bytes, reasonIndex, key });
    this.bytes += bytes;
    this.counts.recorded++;
    return true;
  }

  /** Hands the call's kept records to `emit`, oldest first, and empties its ring. */
  flush(callId: string, emit: (entry: RecordedEntry) => void): number {
    const ring = this.take(callId);
    if (ring === undefined) return 0;
    const entries = ring.drain();
    this.counts.flushed += entries.length;
    for (const entry of entries) emit(entry);
    return entries.length;
  }

  /** The call ended cleanly (or was evicted): its kept records are dropped for good. */
  discard(callId: string): number {
    const ring = this.take(callId);
    if (ring === undefined) return 0;
    this.counts.discarded += ring.length;
    return ring.length;
  }

  stats(): RecorderStats {
    return { ...this.counts, callsRecording: this.rings.size, bytes: this.bytes };
  }

  private take(callId: string): CallRing | undefined {
    const ring = this.rings.get(callId);
    if (ring === undefined) return undefined;
    this.rings.delete(callId);
    this.bytes -= ring.bytes;
    return ring;
  }

  private evictFrom(ring: CallRing): void {
    const entry = ring.shift();
    if (entry === undefined) return;
    this.bytes -= entry.bytes;
    this.counts.evicted++;
  }

  /** Frees the oldest kept record of the call that started keeping first. */
  private evictOldest(): void {
    const oldest = this.rings.entries().next();
    if (oldest.done === true) return;
    const [callId, ring] = oldest.value;
    this.evictFrom(ring);
    if (ring.length === 0) this.rings.delete(callId);
  }
}
