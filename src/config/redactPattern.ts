import { LogPolicyConfigError } from './errors.ts';

const ACCEPTED = 'accepted: one JavaScript regular expression (join several with |) that does not match the empty string';

/**
 * `LOG_POLICY_REDACT_PATTERNS` → a global RegExp. One expression rather than a list: any separator
 * would also be a regex character, and `|` already lists alternatives. A pattern that matches the
 * empty string would mark every gap between characters, so it is refused.
 */
export function parseRedactPattern(variable: string, value: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(value, 'g');
  } catch (error) {
    throw new LogPolicyConfigError(variable, value, `${(error as Error).message}; ${ACCEPTED}`);
  }
  for (const sample of ['', ' ', 'a', '0']) {
    pattern.lastIndex = 0;
    const match = pattern.exec(sample);
    if (match !== null && match[0] === '') throw new LogPolicyConfigError(variable, value, `it matches the empty string; ${ACCEPTED}`);
  }
  pattern.lastIndex = 0;
  return pattern;
}
