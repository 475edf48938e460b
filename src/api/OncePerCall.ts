import { OVERFLOW_KEY } from '../state/KeyBudget.ts';
import { callValue, setCallValue, type LocalOwner } from './callLocal.ts';
import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';

/**
 * The seed's `once.once(key)`: true the first time `key` is asked in the current call. Beyond
 * `maxKeys` per call further keys share one overflow slot (true once for all of them, counted in
 * `overflowed`), so hostile keys cannot grow memory. A call's keys are kept in the call and go with it.
 */
export class OncePerCall implements LocalOwner {
  /** Values outside any call (in a call, the call keeps them). */
  outside: unknown[] | undefined;
  overflowed = 0;
  private readonly maxKeys: number;

  /** `maxKeys`: distinct keys kept per call (default 64). */
  constructor(options: { maxKeys?: number } = {}) {
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS_PER_CALL;
  }

  once(key: string): boolean {
    if (callValue(this, key) !== undefined) return false;
    if (setCallValue(this, key, true, this.maxKeys)) return true;
    this.overflowed++;
    if (callValue(this, OVERFLOW_KEY) !== undefined) return false;
    setCallValue(this, OVERFLOW_KEY, true, this.maxKeys);
    return true;
  }
}
