import { OVERFLOW_KEY } from '../call/boundedKeys.ts';
import { callLocal, helperKeys } from '../call/callLocal.ts';
import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';

/**
 * The seed's `rl.every(key, seconds)`, scoped to the current call (global outside calls). Keys built
 * from user input cannot grow memory: beyond `maxKeys` per call, or 100,000 helper keys across all
 * calls, further keys share one overflow slot (rate-limited together, counted in `overflowed`), and
 * the keys seen first keep their own limits.
 */
export class RateLimiter {
  /** Calls to `every` that landed in the overflow slot. */
  overflowed = 0;
  private readonly now: () => number;
  private readonly maxKeys: number;

  /** `maxKeys`: distinct keys kept per call (default 64). */
  constructor(options: { now?: () => number; maxKeys?: number } = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS_PER_CALL;
  }

  /** True at most once per `seconds` for `key` in the current call. */
  every(key: string, seconds: number): boolean {
    const last = callLocal(this, () => new Map<string, number>());
    const now = this.now();
    let previous = last.get(key);
    if (previous === undefined && !helperKeys.admit(last.size, this.maxKeys)) {
      this.overflowed++;
      key = OVERFLOW_KEY;
      previous = last.get(key);
    }
    if (previous !== undefined && now - previous < seconds * 1000) return false;
    last.set(key, now);
    return true;
  }
}
