import type { CallState } from '../call/callState.ts';

/** Rule 5: a once-key passes the first time in each call. Check, then mark only if the record passes. */
export function onceSpent(state: CallState, index: number): boolean {
  return state.onceSeen !== undefined && state.onceSeen[index] === 1;
}

export function spendOnce(state: CallState, index: number, keyCount: number): void {
  (state.onceSeen ??= new Array<number>(keyCount).fill(0))[index] = 1;
}
