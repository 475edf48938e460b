import type { CallState } from '../../state/CallState.ts';

/** Rule 6: a rate-limited key passes at most once per interval in each call. */
export function rateLimited(state: CallState, index: number, intervalMs: number, now: number): boolean {
  return state.rateLastPass !== undefined && now - state.rateLastPass[index]! < intervalMs;
}

export function stampRate(state: CallState, index: number, keyCount: number, now: number): void {
  (state.rateLastPass ??= new Array<number>(keyCount).fill(Number.NEGATIVE_INFINITY))[index] = now;
}
