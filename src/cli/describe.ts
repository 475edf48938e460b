import ms from 'ms';
import { levelName } from '../config/levels.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';

/** Why the policy is in its mode: the variable that decided, or that none did. */
export function modeReason(config: PolicyConfig): string {
  return config.modeSource === 'default' ? 'default: neither LOG_POLICY_MODE nor DEBUG is set' : `set by ${config.modeSource}`;
}

/** "production mode (set by DEBUG=1)". */
export function modeLine(config: PolicyConfig): string {
  return `${config.mode} mode (${modeReason(config)})`;
}

/** SeverityNumber → "WARN". */
export function levelLabel(severity: number): string {
  return levelName(severity).toUpperCase();
}

/** 5000 → "5s", 7_200_000 → "2h". */
export function durationLabel(milliseconds: number): string {
  return ms(milliseconds);
}
