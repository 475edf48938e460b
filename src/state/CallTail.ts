import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

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
  private slots: (TailEntry | undefined)[] = [];
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Keeps `entry`; returns the oldest one it pushed out to make room (now dropped for good), if any. */
  push(entry: TailEntry): TailEntry | undefined {
    if (this.size < this.capacity) {
      this.slots[(this.head + this.size) % this.capacity] = entry;
      this.size++;
      return undefined;
    }
    const out = this.slots[this.head];
    this.slots[this.head] = entry;
    this.head = (this.head + 1) % this.capacity;
    return out;
  }

  /** Every entry, oldest first; the ring is empty after. */
  drain(): TailEntry[] {
    const out: TailEntry[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.slots[(this.head + i) % this.capacity]!);
    this.slots = [];
    this.head = 0;
    this.size = 0;
    return out;
  }
}
