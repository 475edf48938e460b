import { callLocal } from '../call/callLocal.ts';
import { OVERFLOW_KEY } from '../call/callState.ts';
import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';

/** The seed's `rl.every(key, seconds)`, scoped to the current call (global outside calls). */
export class RateLimiter {
  private readonly now: () => number;
  private readonly maxKeys: number;

  /** `maxKeys`: distinct keys kept per call (default 64); further keys share one slot, so hostile keys cannot grow memory. */
  constructor(options: { now?: () => number; maxKeys?: number } = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS_PER_CALL;
  }

  /** True at most once per `seconds` for `key` in the current call. */
  every(key: string, seconds: number): boolean {
    const last = callLocal(this, () => new Map<string, number>());
    const now = this.now();
    let previous = last.get(key);
    if (previous === undefined && last.size >= this.maxKeys) {
      key = OVERFLOW_KEY;
      previous = last.get(key);
    }
    if (previous !== undefined && now - previous < seconds * 1000) return false;
    last.set(key, now);
    return true;
  }
}
