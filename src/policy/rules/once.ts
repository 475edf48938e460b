import type { CallState } from '../../state/CallState.ts';

/** Once-keys whose flag fits in the call's bit mask; any beyond share an array, made on first use. */
const BITS = 31;

/** Rule 5: a once-key passes the first time in each call. Check, then mark only if the record passes. */
export function onceSpent(state: CallState, index: number): boolean {
  return index < BITS ? (state.onceBits & (1 << index)) !== 0 : state.onceMore?.[index - BITS] === 1;
}

export function spendOnce(state: CallState, index: number, keyCount: number): void {
  if (index < BITS) state.onceBits |= 1 << index;
  else (state.onceMore ??= new Array<number>(keyCount - BITS).fill(0))[index - BITS] = 1;
}
