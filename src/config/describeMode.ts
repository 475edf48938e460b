import type { PolicyConfig } from './policyConfig.ts';

/** Why the policy is in its mode: the variable that decided, or that none did. */
export function modeReason(config: Pick<PolicyConfig, 'modeSource'>): string {
  return config.modeSource === 'default' ? 'default: neither LOG_POLICY_MODE nor DEBUG is set' : `set by ${config.modeSource}`;
}

/** "production mode (set by DEBUG=1)". */
export function modeLine(config: Pick<PolicyConfig, 'mode' | 'modeSource'>): string {
  return `${config.mode} mode (${modeReason(config)})`;
}
