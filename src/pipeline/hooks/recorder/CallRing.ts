import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** One dropped record held by the flight recorder, with what is needed to forward and count it later. */
export interface RecordedEntry {
  readonly record: ReadWriteLogRecord;
  readonly context: Context | undefined;
  readonly bytes: number;
  /** The drop reason's index in DROP_REASONS, and the record's key: for the metrics when it is flushed. */
  readonly reasonIndex: number;
  readonly key: string | undefined;
}

/**
 * The last `capacity` records of one call, oldest first. A circular buffer grown on demand, so a
 * call that drops little costs little whatever the configured capacity.
 */
export class CallRing {
  readonly capacity: number;
  bytes = 0;
  private slots: (RecordedEntry | undefined)[] = [];
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Appends; the caller makes room first (the ring never overwrites silently). */
  push(entry: RecordedEntry): void {
    if (this.size === this.slots.length) {
      // Grow: unroll into order, then double (up to the capacity). drain() leaves size and bytes at 0.
      const ordered: (RecordedEntry | undefined)[] = this.drain();
      const count = ordered.length;
      ordered.length = Math.min(this.capacity, Math.max(8, count * 2));
      this.slots = ordered;
      this.head = 0;
      this.size = count;
      for (let i = 0; i < count; i++) this.bytes += ordered[i]!.bytes;
    }
    this.slots[(this.head + this.size) % this.slots.length] = entry;
    this.size++;
    this.bytes += entry.bytes;
  }

  /** Removes and returns the oldest entry. */
  shift(): RecordedEntry | undefined {
    if (this.size === 0) return undefined;
    const entry = this.slots[this.head]!;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    this.bytes -= entry.bytes;
    return entry;
  }

  /** Removes and returns every entry, oldest first. */
  drain(): RecordedEntry[] {
    const out: RecordedEntry[] = [];
    for (let entry = this.shift(); entry !== undefined; entry = this.shift()) out.push(entry);
    return out;
  }
}
