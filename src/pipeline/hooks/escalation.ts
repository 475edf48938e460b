import { propagation, type Attributes, type Context } from '@opentelemetry/api';
import { MODE_DEFAULTS } from '../../config/defaults.ts';
import { mergeRules } from '../../config/directives.ts';
import type { PolicyConfig } from '../../config/policyConfig.ts';
import { boundedCallId } from '../../config/boundedStrings.ts';
import { ownAttribute } from '../../policy/attributes.ts';

/** `startCall(id, { 'log.policy.mode': 'development' })` escalates that call. */
export const ESCALATION_ATTRIBUTE = 'log.policy.mode';
/** A W3C baggage entry `log.policy.verbose=1` on the context that starts the call escalates it. */
export const ESCALATION_BAGGAGE = 'log.policy.verbose';
/** Stamped on the first record of an escalated call: which route escalated it. */
export const ESCALATED_ATTRIBUTE = 'log.policy.escalated';

export type EscalationRoute = 'env' | 'attribute' | 'baggage';

/**
 * Why the call whose first record carries `attributes` in `ctx` is escalated, or undefined.
 * Checked once per call, on its first record (CALL_START when the app uses `startCall`).
 */
export function escalationOf(callId: string, attributes: Attributes, ctx: Context | undefined, config: PolicyConfig): EscalationRoute | undefined {
  if (config.verboseCalls.has(callId)) return 'env';
  const mode = ownAttribute(attributes, ESCALATION_ATTRIBUTE);
  if (typeof mode === 'string' && mode.toLowerCase() === 'development') return 'attribute';
  const entry = ctx === undefined ? undefined : propagation.getBaggage(ctx)?.getEntry(ESCALATION_BAGGAGE);
  if (entry !== undefined && (entry.value === '1' || entry.value.toLowerCase() === 'true')) return 'baggage';
  return undefined;
}

/**
 * The policy an escalated call is held to: the development thresholds (never above the configured
 * ones, so escalation cannot make a call quieter), the user's own `LOG_POLICY_LEVELS` directives,
 * and no budget or template limit. Once-keys, rate limits and repeat errors stay as configured.
 */
export function escalatedConfig(config: PolicyConfig): PolicyConfig {
  const development = MODE_DEFAULTS.development;
  const noisyLevel = Math.min(config.noisyLevel, development.noisy);
  return Object.freeze({
    ...config,
    mode: 'development',
    modeSource: 'escalated call',
    baseLevel: Math.min(config.baseLevel, development.base),
    noisyLevel,
    levelRules: mergeRules(
      config.noisyModules.map((logger) => ({ logger, level: noisyLevel })),
      config.levelDirectives,
    ),
    callBudget: 0,
    templateLimit: undefined,
  });
}

/**
 * What can be known before the call starts, for `explain --call ID`: the env list is static; the
 * attribute and baggage routes depend on how the call is started at run time.
 */
export function describeEscalation(config: PolicyConfig, callId: string): { escalated: boolean; reason: string } {
  if (config.verboseCalls.has(boundedCallId(callId))) {
    return { escalated: true, reason: `listed in LOG_POLICY_VERBOSE_CALLS: development thresholds and no budget for this call` };
  }
  return {
    escalated: false,
    reason:
      `not listed in LOG_POLICY_VERBOSE_CALLS; it is still escalated at run time if started with ` +
      `startCall(id, { '${ESCALATION_ATTRIBUTE}': 'development' }) or from a context carrying the baggage entry ${ESCALATION_BAGGAGE}=1`,
  };
}
