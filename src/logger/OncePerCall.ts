import { OVERFLOW_KEY } from '../call/boundedKeys.ts';
import { callLocal, helperKeys } from '../call/callLocal.ts';

/**
 * The seed's `once.once(key)`: true the first time `key` is asked in the current call. At most
 * 1,024 distinct keys per call (100,000 across calls); beyond that the keys share one overflow slot (true once for
 * all of them, counted in `overflowed`).
 */
export class OncePerCall {
  overflowed = 0;

  once(key: string): boolean {
    const seen = callLocal(this, () => new Set<string>());
    const slot = helperKeys.slot(seen, key);
    if (slot === OVERFLOW_KEY) this.overflowed++;
    if (seen.has(slot)) return false;
    seen.add(slot);
    return true;
  }
}
