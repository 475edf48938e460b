import { SeverityNumber } from '@opentelemetry/api';
import { KeyBudget } from '../state/KeyBudget.ts';
import { CallState } from '../state/CallState.ts';
import { ruleFor } from '../config/directives.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { ATTR } from '../policy/attributes.ts';
import { errorGroupOf, keyOf, type RecordFacts } from '../policy/facts.ts';
import { templateOf } from '../policy/template.ts';
import { budgeted } from '../policy/rules/budget.ts';
import { CompiledPolicy } from '../policy/CompiledPolicy.ts';
import { decide } from '../policy/decide.ts';
import { threshold } from '../policy/rules/threshold.ts';
import { PASS, type DropReason, type Verdict } from '../policy/verdict.ts';
import { durationLabel, levelLabel } from './describe.ts';
import { ruleLabel } from './explainPolicy.ts';

/** A hypothetical record: what `explain --logger --level [--key] [--call]` asks about. */
export interface RecordQuestion {
  logger: string;
  severity: number;
  key?: string;
  /** The message itself (`--line`): its `[TAG]` is the key, else its template is. */
  line?: string;
  inCall: boolean;
}

const WHY: Readonly<Record<DropReason, string>> = {
  threshold: 'below its logger threshold',
  once: 'its once-key was already used in this call',
  rate_limit: 'a record with this key passed less than its interval ago',
  repeat: 'the same error passed less than the repeat interval ago',
  budget: "the call's budget is used up",
  template: 'its key or template already passed its first few, and one passed less than the interval ago',
  budget_share: "its key or template has spent its share of the call's budget",
};

function verdictText(verdict: Verdict): string {
  if (verdict.kind === 'pass') return 'PASSES';
  if (verdict.kind === 'drop') return `DROPPED by ${verdict.reason} (${WHY[verdict.reason]})`;
  if (verdict.kind === 'counted') return `PASSES with log.suppressed_count=${verdict.suppressed}`;
  return `PASSES downgraded to ${levelLabel(verdict.severity)} with log.repeat_count=${verdict.repeatCount}`;
}

const field = (name: string, value: string) => `${name.padEnd(15)} ${value}`;

/**
 * Would such a record pass, and which rule decides? The answers come from the real rules
 * (threshold, decide) run on a fresh call state, not from a second description of them.
 */
export function explainRecord(config: PolicyConfig, question: RecordQuestion): string[] {
  const policy = new CompiledPolicy(config);
  const key = keyOf(question.key === undefined ? {} : { [ATTR.key]: question.key }, undefined, question.line);
  const template = key === undefined && question.line !== undefined ? templateOf(question.line) : undefined;
  const severity = question.severity;
  const rules = policy.rulesOf(key);
  const facts: RecordFacts = {
    callId: question.inCall ? 'explain-call' : undefined,
    callIdFromContext: false,
    key,
    template,
    rules,
    logger: question.logger,
    severity,
    isMacro: rules.macro,
    errorGroup: severity >= SeverityNumber.ERROR ? errorGroupOf(key, question.logger, {}, question.line) : undefined,
  };
  const level = levelLabel(severity);
  const lines = [field('record', `logger=${question.logger} level=${level}${key === undefined ? '' : ` key=${key}`}, ${question.inCall ? 'inside a call' : 'outside any call'}`)];
  if (question.line !== undefined) {
    lines.push(
      field(
        'template',
        template === undefined
          ? `none: the key ${key} stands for the line (log.key, event name or leading [TAG])`
          : `"${template}" (log.template: the line's key, numbers, ids and quoted strings replaced)`,
      ),
    );
  }

  // Threshold: the decision is threshold(); the rest says which directive and exemption it used.
  const rule = ruleFor(question.logger, config.levelRules);
  const loggerLevel = policy.thresholdOf(question.logger);
  const isTx = key?.startsWith('TX_') === true;
  const from = rule === undefined ? 'the base level (no rule covers this logger)' : `rule ${ruleLabel(config, rule)}`;
  const passesThreshold = threshold(facts, policy).kind === 'pass';
  let how: string;
  if (passesThreshold && severity >= loggerLevel) how = `${level} ≥ ${levelLabel(loggerLevel)}: passes`;
  else if (passesThreshold && severity >= SeverityNumber.WARN) how = `${level} < ${levelLabel(loggerLevel)}, but WARN and above always pass`;
  else if (passesThreshold && facts.isMacro && severity >= SeverityNumber.INFO) how = `${level} < ${levelLabel(loggerLevel)}, but ${key} is a macro event: exempt down to INFO`;
  else if (passesThreshold) how = `${level} < ${levelLabel(loggerLevel)}, but DEBUG_TX=1 lets TX_* keys pass down to DEBUG`;
  else {
    const effective = policy.effectiveThreshold(loggerLevel, facts.isMacro, isTx);
    how =
      `${level} < ${levelLabel(effective)}${effective < loggerLevel ? ` (exemption applied: ${levelLabel(loggerLevel)} lowered to ${levelLabel(effective)})` : ''}: dropped; ` +
      'getLogger() methods at this level are no-ops, so the record is never built';
  }
  lines.push(field('threshold', `${levelLabel(loggerLevel)} for "${question.logger}", from ${from}; ${how}`));
  if (!passesThreshold) {
    lines.push(field('verdict', `DROPPED by threshold (decided by ${from})`));
    return lines;
  }

  const onceIndex = key === undefined ? undefined : policy.onceIndex.get(key);
  const rateIndex = key === undefined ? undefined : policy.rateIndex.get(key);
  const rateMs = rateIndex === undefined ? undefined : policy.rateIntervals[rateIndex];
  const scope = question.inCall ? 'call' : 'process (records outside calls share one state)';
  if (severity >= SeverityNumber.ERROR) {
    lines.push(
      field(
        'error repeats',
        `group "${facts.errorGroup}"${key === undefined ? ' (no key: the logger and the exception type or message)' : ' (its key)'}: ` +
          `the first passes, repeats within ${durationLabel(config.errorRepeatMs)} are dropped, then one passes as WARN with the count`,
      ),
      field('other rules', 'ERROR and above are governed by the repeat rule alone (no once-key, rate limit or budget)'),
    );
  } else {
    const state = new CallState(facts.callId, 0, new KeyBudget(config.maxKeysPerCall, config.maxTrackedKeys));
    const inBudget = budgeted(facts, state, config.callBudget);
    let budgetText: string;
    if (inBudget) budgetText = `counted: ${config.callBudget} INFO-and-below records per call`;
    else if (config.callBudget === 0) budgetText = 'not counted: the budget is unlimited in this mode';
    else if (!question.inCall) budgetText = 'not counted: the budget applies inside calls only';
    else if (facts.isMacro) budgetText = 'not counted: macro events are exempt';
    else budgetText = 'not counted: WARN and above are exempt';
    lines.push(
      field('once per call', onceIndex === undefined ? (key === undefined ? 'no key, so none' : `${key} is not a once-key`) : `${key}: only the first per ${scope}`),
      field('rate limit', rateMs === undefined ? (key === undefined ? 'no key, so none' : `none for ${key}`) : `${key}: one record per ${durationLabel(rateMs)} per ${scope}`),
      field('template limit', templateLimitText(config, facts, scope)),
      field('call budget', budgetText),
    );
    if (inBudget && policy.shareCap < config.callBudget && (key ?? template) !== undefined) {
      lines.push(field('budget share', `one key or template may spend ${policy.shareCap} of the ${config.callBudget} (LOG_POLICY_TEMPLATE_SHARE=${config.templateShare}%)`));
    }
    if (inBudget && policy.tail > 0) {
      lines.push(field('call tail', `past ${policy.liveBudget} records the call's last ${policy.tail} are held and sent just before CALL_END (LOG_POLICY_CALL_TAIL)`));
    }
  }

  // The sequence, from the real rules on a fresh state: first, a second right after, one an interval later.
  const state = new CallState(facts.callId, 0, new KeyBudget(config.maxKeysPerCall, config.maxTrackedKeys));
  lines.push(field('verdict', `${verdictText(decide(facts, state, 0, policy))} (the first such record${question.inCall ? ' in a call' : ''})`));
  lines.push(field('  then', `a second one right after: ${verdictText(decide(facts, state, 1, policy))}`));
  const limit = templateLimitOf(config, facts);
  if (limit !== undefined && severity < SeverityNumber.ERROR) {
    // Up to the burst right after the second, then the first one the limit suppresses.
    let verdict: Verdict = PASS;
    let n = 2;
    while (n <= limit.burst && verdict.kind !== 'drop') {
      n++;
      verdict = decide(facts, state, 1, policy);
    }
    lines.push(field('  then', `record ${n} right after: ${verdictText(verdict)}`));
  }
  const interval = severity >= SeverityNumber.ERROR ? config.errorRepeatMs : (rateMs ?? limit?.intervalMs);
  if (interval !== undefined) lines.push(field('  then', `one ${durationLabel(interval)} after the first: ${verdictText(decide(facts, state, interval + 1, policy))}`));
  if (severity < SeverityNumber.ERROR && budgeted(facts, state, config.callBudget)) {
    const spent = new CallState(facts.callId, 0, new KeyBudget(config.maxKeysPerCall, config.maxTrackedKeys));
    spent.budgetUsed = policy.liveBudget;
    const verdict = decide(facts, spent, 0, policy);
    const text =
      verdict.kind === 'drop' && verdict.reason === 'budget' && policy.tail > 0
        ? `HELD in the call's tail: the last ${policy.tail} such records are sent just before CALL_END, older ones DROPPED by budget`
        : verdictText(verdict);
    lines.push(
      field(
        '  then',
        `once the call has used ${policy.tail > 0 ? `the ${policy.liveBudget} of its budget of ${config.callBudget} not kept for its tail and its CALL_START and CALL_END` : `its budget of ${config.callBudget}`}: ${text}`,
      ),
    );
  }
  return lines;
}

/** The template limit that governs these facts, if one does (the rule's own conditions, as decide() applies them). */
function templateLimitOf(config: PolicyConfig, facts: RecordFacts) {
  const exempt = facts.rules.once >= 0 || facts.rules.rate >= 0 || facts.isMacro || (facts.key ?? facts.template) === undefined;
  return exempt ? undefined : config.templateLimit;
}

function templateLimitText(config: PolicyConfig, facts: RecordFacts, scope: string): string {
  if (config.templateLimit === undefined) return 'off in this mode (LOG_POLICY_TEMPLATE_LIMIT=none)';
  const { burst, intervalMs } = config.templateLimit;
  if (facts.rules.once >= 0 || facts.rules.rate >= 0) return `none: ${facts.key}'s own once-key or rate limit wins`;
  if (facts.isMacro) return `none: ${facts.key} is a macro event`;
  const kind = facts.key ?? facts.template;
  if (kind === undefined) return 'none: no key and no text to take a template from';
  return `${facts.key === undefined ? 'template' : 'key'} "${kind}": the first ${burst} pass, then one per ${durationLabel(intervalMs)} per ${scope}, carrying log.suppressed_count`;
}
