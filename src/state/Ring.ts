/**
 * The last entries of one call, oldest first: a circular buffer grown on demand up to `capacity`
 * (doubling from 8), so a call that keeps little costs little whatever the capacity. Shared by the
 * call tail and the flight recorder.
 */
export class Ring<T> {
  readonly capacity: number;
  private slots: (T | undefined)[] = [];
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Appends; the caller makes room first when the ring is full (it never overwrites silently). */
  push(entry: T): void {
    if (this.size === this.slots.length) {
      const count = this.size;
      const ordered: (T | undefined)[] = this.drain();
      ordered.length = Math.min(this.capacity, Math.max(8, count * 2));
      this.slots = ordered;
      this.head = 0;
      this.size = count;
    }
    this.slots[(this.head + this.size) % this.slots.length] = entry;
    this.size++;
  }

  /** Removes and returns the oldest entry. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const entry = this.slots[this.head]!;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    return entry;
  }

  /** Removes and returns every entry, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let entry = this.shift(); entry !== undefined; entry = this.shift()) out.push(entry);
    return out;
  }
}
