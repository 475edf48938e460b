import { SeverityNumber } from '@opentelemetry/api';
import type { CallState } from '../state/CallState.ts';
import type { RecordFacts } from './facts.ts';
import { budgeted, overBudget } from './rules/budget.ts';
import type { CompiledPolicy } from './CompiledPolicy.ts';
import { onceSpent, spendOnce } from './rules/once.ts';
import { rateLimited, stampRate } from './rules/rateLimit.ts';
import { repeatErrors } from './rules/repeatErrors.ts';
import { threshold } from './rules/threshold.ts';
import { DROP, PASS, type Verdict } from './verdict.ts';

/**
 * The rules in order; the first drop wins. ERROR and FATAL are governed by the repeat rule alone.
 * Once-keys, rate limits and the budget are only spent when the record passes all of them, so a
 * record dropped by the budget does not use up its key's once or its interval.
 */
export function decide(facts: RecordFacts, state: CallState, now: number, policy: CompiledPolicy): Verdict {
  if (threshold(facts, policy) !== PASS) return DROP.threshold;
  const config = policy.config;
  if (facts.severity >= SeverityNumber.ERROR) {
    return repeatErrors(state, facts.errorGroup ?? facts.logger, now, config.errorRepeatMs);
  }
  const { once: onceIndex, rate: rateIndex } = facts.rules;
  if (onceIndex >= 0 && onceSpent(state, onceIndex)) return DROP.once;
  if (rateIndex >= 0 && rateLimited(state, rateIndex, policy.rateIntervals[rateIndex]!, now)) return DROP.rate_limit;
  const spendsBudget = budgeted(facts, state, config.callBudget);
  if (spendsBudget && overBudget(state, config.callBudget)) return DROP.budget;
  if (onceIndex >= 0) spendOnce(state, onceIndex, policy.onceIndex.size);
  if (rateIndex >= 0) stampRate(state, rateIndex, policy.rateIndex.size, now);
  if (spendsBudget) state.budgetUsed++;
  return PASS;
}
