import { OVERFLOW_KEY } from '../call/boundedKeys.ts';
import { callLocal, helperKeys } from '../call/callLocal.ts';

/**
 * The seed's `rl.every(key, seconds)`, scoped to the current call (global outside calls). At most
 * 1,024 distinct keys per call (100,000 across calls): keys built from user input share one overflow slot beyond
 * that (rate-limited together, counted in `overflowed`), so memory stays bounded and the keys
 * seen first keep their own limits.
 */
export class RateLimiter {
  /** Calls to `every` that landed in the overflow slot. */
  overflowed = 0;
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** True at most once per `seconds` for `key` in the current call. */
  every(key: string, seconds: number): boolean {
    const last = callLocal(this, () => new Map<string, number>());
    const slot = helperKeys.slot(last, key);
    if (slot === OVERFLOW_KEY) this.overflowed++;
    const now = this.now();
    const previous = last.get(slot);
    if (previous !== undefined && now - previous < seconds * 1000) return false;
    last.set(slot, now);
    return true;
  }
}
