/** Slot shared by every key beyond a cap, so keys built from user input cannot grow state. */
export const OVERFLOW_KEY = '(overflow)';

/**
 * Caps the distinct keys tracked per call AND across all calls together, so that a key built from
 * user input (a million distinct keys in one call, or a few in each of many calls that never end)
 * costs bounded memory. Keys beyond either cap share the collection's overflow slot, and are counted.
 */
export class KeyBudget {
  readonly perCall: number;
  readonly total: number;
  used = 0;
  /** Lookups that landed in an overflow slot. */
  overflowed = 0;

  constructor(perCall: number, total: number) {
    this.perCall = perCall;
    this.total = total;
  }

  /** Room for one more key in a collection of `size` keys (taken if there is), for callers that know the key is new. */
  admit(size: number, perCall = this.perCall): boolean {
    if (size < perCall && this.used < this.total) {
      this.used++;
      return true;
    }
    this.overflowed++;
    return false;
  }

  /** Gives back the room of `keys` keys that are being freed. */
  giveBack(keys: number): void {
    this.used -= keys;
  }
}
