import type { CallState } from '../../state/CallState.ts';
import type { CallStore } from '../../state/CallStore.ts';
import type { RecordFacts } from '../../policy/facts.ts';
import type { StatsCounter } from '../StatsCounter.ts';

/**
 * A record of a call whose CALL_END has passed (the model's socket closing a moment after the
 * caller's): it is counted and decided against the call's final state, which stays closed. A new
 * CALL_START with that id is a new call: the ended one is forgotten and undefined returned, so the
 * processor opens a fresh state.
 */
export function afterEnd(calls: CallStore, counter: StatsCounter, state: CallState, facts: RecordFacts): CallState | undefined {
  if (facts.key === 'CALL_START') {
    calls.forgetEnded(state.id!);
    return undefined;
  }
  counter.afterEnd++;
  return state;
}
