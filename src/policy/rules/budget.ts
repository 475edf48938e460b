import { SeverityNumber } from '@opentelemetry/api';
import type { CallState } from '../../state/CallState.ts';
import type { RecordFacts } from '../facts.ts';

/** Does the record count against the call's budget? INFO and below inside a call, macros exempt. */
export function budgeted(facts: RecordFacts, state: CallState, budget: number): boolean {
  return budget > 0 && state.id !== undefined && !facts.isMacro && facts.severity < SeverityNumber.WARN;
}

/** Rule 8: beyond the budget, budgeted records are dropped. */
export function overBudget(state: CallState, budget: number): boolean {
  return state.budgetUsed >= budget;
}
