import { SeverityNumber } from '@opentelemetry/api';
import type { CallState } from '../call/callState.ts';
import { DROP, PASS, type Verdict } from './verdict.ts';

/**
 * Rule 7: the first ERROR of a group passes as ERROR; later ones are dropped, and at most once per
 * interval one passes downgraded to WARN carrying how many occurred since the last one that passed.
 */
export function repeatErrors(state: CallState, group: string, now: number, intervalMs: number): Verdict {
  const repeats = (state.repeats ??= new Map());
  const slot = state.keys.slot(repeats, group);
  const seen = repeats.get(slot);
  if (seen === undefined) {
    repeats.set(slot, { pending: 0, lastPassAt: now });
    return PASS;
  }
  seen.pending++;
  if (now - seen.lastPassAt < intervalMs) return DROP.repeat;
  const repeatCount = seen.pending;
  seen.pending = 0;
  seen.lastPassAt = now;
  return { kind: 'downgrade', severity: SeverityNumber.WARN, repeatCount };
}
