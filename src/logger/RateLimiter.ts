import { callLocal } from '../call/callLocal.ts';

/** The seed's `rl.every(key, seconds)`, scoped to the current call (global outside calls). */
export class RateLimiter {
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** True at most once per `seconds` for `key` in the current call. */
  every(key: string, seconds: number): boolean {
    const last = callLocal(this, () => new Map<string, number>());
    const now = this.now();
    const previous = last.get(key);
    if (previous !== undefined && now - previous < seconds * 1000) return false;
    last.set(key, now);
    return true;
  }
}
