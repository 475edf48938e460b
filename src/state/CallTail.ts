import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { Ring } from './Ring.ts';

/** A record held for the call's end, with what is needed to forward or count it later. */
export interface TailEntry {
  readonly record: ReadWriteLogRecord;
  readonly context: Context | undefined;
  /** Its key (or template), for the drop counts if it is pushed out. */
  readonly key: string | undefined;
}

/**
 * The last `capacity` records of one call that came after its budget was spent, oldest first:
 * sent just before CALL_END, so the lines that say why a call ended survive the budget. A fixed
 * ring, grown on demand up to the capacity (a call that stays within its budget keeps none).
 */
export class CallTail {
  readonly capacity: number;
  private readonly ring: Ring<TailEntry>;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.ring = new Ring(capacity);
  }

  get length(): number {
    return this.ring.length;
  }

  /** Keeps `entry`; returns the oldest one it pushed out to make room (now dropped for good), if any. */
  push(entry: TailEntry): TailEntry | undefined {
    const out = this.ring.length >= this.capacity ? this.ring.shift() : undefined;
    this.ring.push(entry);
    return out;
  }

  /** Every entry, oldest first; the ring is empty after. */
  drain(): TailEntry[] {
    return this.ring.drain();
  }
}
