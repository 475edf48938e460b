import { SeverityNumber } from '@opentelemetry/api';
import { ownCopy } from '../../config/boundedStrings.ts';
import { OVERFLOW_KEY } from '../../state/KeyBudget.ts';
import { REPEAT_STRIDE, type CallState } from '../../state/CallState.ts';
import { rowOf, withRow } from '../../state/flatTable.ts';
import { DROP, PASS, type Verdict } from '../verdict.ts';

/**
 * Rule 7: the first ERROR of a group passes as ERROR; later ones are dropped, and at most once per
 * interval one passes downgraded to WARN carrying how many occurred since the last one that passed.
 */
export function repeatErrors(state: CallState, group: string, now: number, intervalMs: number): Verdict {
  let at = rowOf(state.repeats, group, REPEAT_STRIDE);
  if (at < 0) {
    // A new group takes room from the key budget; without room it shares the overflow row.
    const slot = state.keys.admit(state.repeats === undefined ? 0 : state.repeats.length / REPEAT_STRIDE) ? group : OVERFLOW_KEY;
    at = slot === group ? -1 : rowOf(state.repeats, slot, REPEAT_STRIDE);
    if (at < 0) {
      // The group may be a slice of a record's message: kept, it must not keep the message alive.
      state.repeats = withRow(state.repeats, [ownCopy(slot), 0, now]);
      return PASS;
    }
  }
  const row = state.repeats!;
  const pending = (row[at + 1] as number) + 1;
  if (now - (row[at + 2] as number) < intervalMs) {
    row[at + 1] = pending;
    return DROP.repeat;
  }
  row[at + 1] = 0;
  row[at + 2] = now;
  return { kind: 'downgrade', severity: SeverityNumber.WARN, repeatCount: pending };
}
