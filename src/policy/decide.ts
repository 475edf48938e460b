import { SeverityNumber } from '@opentelemetry/api';
import type { CallState } from '../state/CallState.ts';
import type { RecordFacts } from './facts.ts';
import { budgeted, overBudget } from './rules/budget.ts';
import type { CompiledPolicy, KeyRules } from './CompiledPolicy.ts';
import { onceSpent, spendOnce } from './rules/once.ts';
import { rateLimited, stampRate } from './rules/rateLimit.ts';
import { repeatErrors } from './rules/repeatErrors.ts';
import { overShare, spendShare, takeSuppressed, templateLimited } from './rules/templateLimit.ts';
import { threshold } from './rules/threshold.ts';
import { DROP, PASS, type Drop, type Verdict } from './verdict.ts';

/**
 * The key's own rules, once-key then rate limit: the drop they make, if any. A record that passed the
 * threshold (below ERROR) and meets one of these is dropped whatever the later rules say, so a
 * repeat of a record they dropped may be answered by this alone (see DropMemo).
 */
export function keyDrop(rules: KeyRules, state: CallState, now: number, policy: CompiledPolicy): Drop | undefined {
  if (rules.once >= 0 && onceSpent(state, rules.once)) return DROP.once;
  if (rules.rate >= 0 && rateLimited(state, rules.rate, policy.rateIntervals[rules.rate]!, now)) return DROP.rate_limit;
  return undefined;
}

/**
 * The rules in order; the first drop wins. ERROR and FATAL are governed by the repeat rule alone.
 * Once-keys, rate limits and the budget are only spent when the record passes all of them, so a
 * record dropped by the budget does not use up its key's once or its interval. The template limit
 * applies to a key (or a keyless record's template) with no once-key or rate limit of its own,
 * macro events aside; a budgeted record's key or template may spend only its share of the budget.
 * Beyond the live budget (the budget less its tail) the verdict is `budget`: the processor may
 * still hold the record for the call's end.
 */
export function decide(facts: RecordFacts, state: CallState, now: number, policy: CompiledPolicy): Verdict {
  if (threshold(facts, policy) !== PASS) return DROP.threshold;
  const config = policy.config;
  if (facts.severity >= SeverityNumber.ERROR) {
    return repeatErrors(state, facts.errorGroup ?? facts.logger, now, config.errorRepeatMs);
  }
  const early = keyDrop(facts.rules, state, now, policy);
  if (early !== undefined) return early;
  const { once: onceIndex, rate: rateIndex } = facts.rules;
  const spendsBudget = budgeted(facts, state, config.callBudget);
  const limit = onceIndex < 0 && rateIndex < 0 && !facts.isMacro ? policy.templateLimit : undefined;
  const kind = facts.key ?? facts.template;
  const shared = spendsBudget && policy.shareCap < config.callBudget;
  const at = kind !== undefined && (limit !== undefined || shared) ? state.templateRow(kind, now, limit?.intervalMs ?? 0) : -1;
  if (limit !== undefined && at >= 0 && templateLimited(state, at, limit, now)) return DROP.template;
  if (spendsBudget) {
    if (shared && at >= 0 && overShare(state, at, policy.shareCap)) return DROP.budget_share;
    if (overBudget(state, policy.liveBudget)) return DROP.budget;
  }
  if (onceIndex >= 0) spendOnce(state, onceIndex, policy.onceIndex.size);
  if (rateIndex >= 0) stampRate(state, rateIndex, policy.rateIndex.size, now);
  if (spendsBudget) {
    state.budgetUsed++;
    if (shared && at >= 0) spendShare(state, at);
  }
  const suppressed = limit !== undefined && at >= 0 ? takeSuppressed(state, at) : 0;
  return suppressed > 0 ? { kind: 'counted', suppressed } : PASS;
}
