import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { loadRegisterConfig } from '../../src/config/registerConfig.ts';
import { loadCallsConfig } from '../../src/config/callsConfig.ts';
import { policyVariablesReadBySrc } from '../helpers/envVariables.ts';

/** Every variable of the policy and the register entry that src/ reads (the same scan docs/configuration.md is checked against). */
const VARIABLES = policyVariablesReadBySrc();

/** Random strings, and random strings built from the pieces valid values are made of (so both branches are reached). */
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        'info',
        'debug',
        'WARN',
        'x',
        '=',
        ',',
        ' ',
        '5s',
        '10',
        '0',
        '1',
        '3/10s',
        '/',
        '%',
        '25',
        'true',
        'on',
        'off',
        'none',
        'openai',
        'TX_SLOW',
        '.',
        '*',
        '(',
        ')',
        '\\d',
        '|',
        'ms',
        '-1',
        '1e3',
        '999999999',
        '1000000000',
        '\u0000',
        'é',
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
);

function accepted(env: Record<string, string>): 'ok' | 'rejected' {
  try {
    const config = loadPolicyConfig(env);
    expect(Object.isFrozen(config)).toBe(true);
    loadRegisterConfig(env);
    loadCallsConfig(env);
    return 'ok';
  } catch (error) {
    // Anything but LogPolicyConfigError (a TypeError, a RangeError from a regex, …) fails the property.
    if (!(error instanceof LogPolicyConfigError)) throw error;
    expect(VARIABLES).toContain(error.variable);
    expect(error.message).toContain(error.variable);
    expect(error.message).toContain(JSON.stringify(error.value));
    return 'rejected';
  }
}

describe('config: random strings in every variable', () => {
  test('the scan finds what loadPolicyConfig, loadRegisterConfig and loadCallsConfig ask the environment for', () => {
    const asked = new Set<string>();
    const env = new Proxy(
      {},
      {
        get: (_, name) => {
          if (typeof name === 'string') asked.add(name);
          return undefined;
        },
      },
    );
    loadPolicyConfig(env);
    loadRegisterConfig(env);
    loadCallsConfig(env);
    expect([...asked].sort()).toEqual(VARIABLES);
  });

  test.each(VARIABLES)(
    '%s alone: accepted, or LogPolicyConfigError naming it',
    (variable) => {
      const seen = { ok: 0, rejected: 0 };
      fc.assert(
        fc.property(value, (v) => {
          const result = accepted({ [variable]: v });
          seen[result]++;
          if (result === 'rejected') {
            try {
              loadPolicyConfig({ [variable]: v });
            } catch (error) {
              expect((error as LogPolicyConfigError).variable).toBe(variable);
              expect((error as LogPolicyConfigError).value).toBe(v.trim());
            }
          }
        }),
        { numRuns: 300, seed: 6 },
      );
      expect(seen.ok).toBeGreaterThan(0);
      // LOG_POLICY_REDACT_PATTERNS runs the ReDoS checker (a worker, a fraction of a second) on every pattern with a repeat or group.
    },
    60_000,
  );

  test('all variables at once', () => {
    fc.assert(
      fc.property(fc.record(Object.fromEntries(VARIABLES.map((v) => [v, value])) as Record<string, fc.Arbitrary<string>>, { requiredKeys: [] }), (env) => {
        accepted(env as Record<string, string>);
      }),
      { numRuns: 1000, seed: 6 },
    );
  });
});
