import { callLocal } from '../call/callLocal.ts';

/** The seed's `once.once(key)`: true the first time `key` is asked in the current call. */
export class OncePerCall {
  once(key: string): boolean {
    const seen = callLocal(this, () => new Set<string>());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }
}
