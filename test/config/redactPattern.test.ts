import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';

const refused = (pattern: string): LogPolicyConfigError => {
  try {
    loadPolicyConfig({ LOG_POLICY_REDACT_PATTERNS: pattern });
  } catch (error) {
    expect(error).toBeInstanceOf(LogPolicyConfigError);
    return error as LogPolicyConfigError;
  }
  throw new Error(`${pattern} was accepted`);
};

describe('LOG_POLICY_REDACT_PATTERNS: catastrophic backtracking is refused at start-up', () => {
  test("'(a+)+$' (a minute on a 40-character body) is refused, naming the variable, the value, why and what is accepted", () => {
    const error = refused('(a+)+$');
    expect(error.variable).toBe('LOG_POLICY_REDACT_PATTERNS');
    expect(error.value).toBe('(a+)+$');
    expect(error.message).toContain('LOG_POLICY_REDACT_PATTERNS="(a+)+$" is not valid');
    expect(error.message).toMatch(/exponential backtracking/);
    expect(error.message).toMatch(/accepted: .*recheck/);
  });

  test.each([
    ['(a|aa)+$', /exponential/],
    [String.raw`\d+\d+$`, /polynomial \(degree 3\)/],
    [String.raw`[\w.]+@corp\.example`, /polynomial \(degree 2\)/],
    [String.raw`\s*x\s*$`, /polynomial/],
  ])('%s is refused', (pattern, why) => {
    expect(refused(pattern).message).toMatch(why);
  });

  test('patterns an operator would write are accepted, bounded repeats and lookbehinds included', { timeout: 60_000 }, () => {
    for (const pattern of [
      String.raw`PAT-\d{6}|member#\w+`,
      String.raw`\bMRN[:#]?\s*\d{6,10}\b`,
      String.raw`[\w.]{1,64}@corp\.example`,
      'ACME-SECRET|internal-only',
      String.raw`(?<=patient=)\w{1,32}`,
    ]) {
      expect(loadPolicyConfig({ LOG_POLICY_REDACT_PATTERNS: pattern }).redactPattern?.source, pattern).toBe(new RegExp(pattern).source);
    }
  });
});
