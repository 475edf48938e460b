import { callLocal } from '../call/callLocal.ts';
import { OVERFLOW_KEY } from '../call/callState.ts';
import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';

/** The seed's `once.once(key)`: true the first time `key` is asked in the current call. */
export class OncePerCall {
  private readonly maxKeys: number;

  /** `maxKeys`: distinct keys kept per call (default 64); further keys share one slot, so hostile keys cannot grow memory. */
  constructor(options: { maxKeys?: number } = {}) {
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS_PER_CALL;
  }

  once(key: string): boolean {
    const seen = callLocal(this, () => new Set<string>());
    if (seen.has(key)) return false;
    if (seen.size >= this.maxKeys) key = OVERFLOW_KEY;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }
}
