import type { Attributes, Context } from '@opentelemetry/api';
import type { PolicyConfig } from '../../config/policyConfig.ts';
import { CompiledPolicy } from '../../policy/CompiledPolicy.ts';
import type { CallState } from '../../state/CallState.ts';
import { escalatedConfig, escalationOf } from './escalation.ts';
import type { PolicyHook } from './PolicyHook.ts';

/**
 * Per-call escalation: a call started with `log.policy.mode=development`, listed in
 * LOG_POLICY_VERBOSE_CALLS or carrying the baggage entry is held to development thresholds with no
 * budget, the other calls unchanged. `onChange` is told when records below the floor may start or
 * stop being built inside calls (the processor's gate and `enabled()` follow it).
 */
export class EscalationHook implements PolicyHook {
  /** What escalated calls are held to: development thresholds, no budget. */
  readonly policy: CompiledPolicy;
  open = 0;
  private readonly config: PolicyConfig;
  private readonly onChange: () => void;

  constructor(config: PolicyConfig, onChange: () => void) {
    this.config = config;
    this.policy = new CompiledPolicy(escalatedConfig(config));
    this.onChange = onChange;
  }

  /** Are records below the floor built in some call? (An escalated call is open, or one is listed.) */
  get buildsInCalls(): boolean {
    return this.open > 0 || this.config.verboseCalls.size > 0;
  }

  /** Below the floor, inside call `id` (known or not yet seen): does its escalation want the record built? */
  buildsInCall(id: string, call: CallState | undefined, scope: string, severity: number): boolean {
    // A call listed in LOG_POLICY_VERBOSE_CALLS is escalated before its first record is seen.
    const escalated = call?.escalated ?? this.config.verboseCalls.has(id);
    return escalated && severity >= this.policy.scopeFloor(scope);
  }

  /** The route is kept on the call: the processor stamps it (ESCALATED_ATTRIBUTE) on the first record once built. */
  opened(call: CallState, attributes: Attributes, context: Context | undefined): void {
    const route = escalationOf(call.id!, attributes, context, this.config);
    if (route === undefined) return;
    call.escalated = true;
    call.escalatedBy = route;
    if (this.open++ === 0) this.onChange();
  }

  released(call: CallState): void {
    if (!call.escalated) return;
    call.escalated = false;
    if (--this.open === 0) this.onChange();
  }
}
