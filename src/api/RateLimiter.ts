import { OVERFLOW_KEY } from '../state/KeyBudget.ts';
import { callValue, setCallValue, type LocalOwner } from './callLocal.ts';
import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';

/**
 * The seed's `rl.every(key, seconds)`, scoped to the current call (global outside calls). Keys built
 * from user input cannot grow memory: beyond `maxKeys` per call further keys share one overflow slot
 * (rate-limited together, counted in `overflowed`), and the keys seen first keep their own limits.
 * A call's keys are kept in the call and go with it.
 */
export class RateLimiter implements LocalOwner {
  /** Values outside any call (in a call, the call keeps them). */
  outside: unknown[] | undefined;
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
    const now = this.now();
    let previous = callValue(this, key) as number | undefined;
    if (previous !== undefined && now - previous < seconds * 1000) return false;
    if (setCallValue(this, key, now, this.maxKeys)) return true;
    this.overflowed++;
    previous = callValue(this, OVERFLOW_KEY) as number | undefined;
    if (previous !== undefined && now - previous < seconds * 1000) return false;
    setCallValue(this, OVERFLOW_KEY, now, this.maxKeys);
    return true;
  }
}
