import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { Ring } from '../../../state/Ring.ts';

/** One dropped record held by the flight recorder, with what is needed to forward and count it later. */
export interface RecordedEntry {
  readonly record: ReadWriteLogRecord;
  readonly context: Context | undefined;
  readonly bytes: number;
  /** The drop reason's index in DROP_REASONS, and the record's key: for the metrics when it is flushed. */
  readonly reasonIndex: number;
  readonly key: string | undefined;
}

/** The last `capacity` dropped records of one call, oldest first, and the bytes they take. */
export class CallRing {
  readonly capacity: number;
  bytes = 0;
  private readonly ring: Ring<RecordedEntry>;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.ring = new Ring(capacity);
  }

  get length(): number {
    return this.ring.length;
  }

  /** Appends; the caller makes room first (the ring never overwrites silently). */
  push(entry: RecordedEntry): void {
    this.ring.push(entry);
    this.bytes += entry.bytes;
  }

  /** Removes and returns the oldest entry. */
  shift(): RecordedEntry | undefined {
    const entry = this.ring.shift();
    if (entry !== undefined) this.bytes -= entry.bytes;
    return entry;
  }

  /** Removes and returns every entry, oldest first. */
  drain(): RecordedEntry[] {
    this.bytes = 0;
    return this.ring.drain();
  }
}
