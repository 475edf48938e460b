import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { loadRegisterConfig } from '../../src/config/registerConfig.ts';
import { loadCallsConfig } from '../../src/config/callsConfig.ts';

/** Every variable loadPolicyConfig reads. */
const VARIABLES = [
  'LOG_POLICY_MODE', 'DEBUG', 'DEBUG_TX', 'LOG_POLICY_LEVEL', 'LOG_POLICY_NOISY_LEVEL', 'LOG_POLICY_NOISY_MODULES',
  'LOG_POLICY_LEVELS', 'LOG_POLICY_RATE_LIMITS', 'LOG_POLICY_ONCE', 'LOG_POLICY_ERROR_REPEAT', 'LOG_POLICY_CALL_BUDGET',
  'LOG_POLICY_CALL_TTL', 'LOG_POLICY_MAX_CALLS', 'LOG_POLICY_MAX_KEYS', 'LOG_POLICY_MAX_TRACKED_KEYS', 'LOG_POLICY_REDACT', 'LOG_POLICY_REDACT_PATTERNS',
  'LOG_POLICY_MAX_BODY', 'LOG_POLICY_MAX_ATTRIBUTE', 'LOG_POLICY_RETRY_BUFFER',
  'LOG_POLICY_RECORDER', 'LOG_POLICY_RECORDER_BYTES', 'LOG_POLICY_RECORDER_TOTAL_BYTES', 'LOG_POLICY_RECORDER_FLUSH_ON', 'LOG_POLICY_VERBOSE_CALLS',
  'LOG_POLICY_CAPTURE_CONSOLE', 'LOG_POLICY_CONSOLE_ECHO', 'LOG_POLICY_AUTO_CALLS', 'LOG_POLICY_CALL_PATHS',
] as const;

/** `LOG_POLICY_*` literals in src/ that are not variables. */
const NOT_VARIABLES = new Set(['LOG_POLICY_RETRY_OVERFLOW']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Random strings, and random strings built from the pieces valid values are made of (so both branches are reached). */
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc.array(
    fc.constantFrom('info', 'debug', 'WARN', 'x', '=', ',', ' ', '5s', '10', '0', '1', 'true', 'on', 'off', 'none', 'openai', 'TX_SLOW', '.', '*', '(', ')', '\\d', '|', 'ms', '-1', '1e3', '999999999', '1000000000', '\u0000', 'é'),
    { maxLength: 8 },
  ).map((parts) => parts.join('')),
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
  test('the list above is every variable src/ reads', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const read = new Set(sourceFiles(src).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'(LOG_POLICY_[A-Z_]+|DEBUG(?:_TX)?)'/g)].map((m) => m[1]!)));
    for (const name of NOT_VARIABLES) read.delete(name);
    expect([...read].sort()).toEqual([...VARIABLES].sort());
  });

  test.each(VARIABLES)('%s alone: accepted, or LogPolicyConfigError naming it', (variable) => {
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
  });

  test('all variables at once', () => {
    fc.assert(
      fc.property(fc.record(Object.fromEntries(VARIABLES.map((v) => [v, value])) as Record<(typeof VARIABLES)[number], fc.Arbitrary<string>>, { requiredKeys: [] }), (env) => {
        accepted(env as Record<string, string>);
      }),
      { numRuns: 1000, seed: 6 },
    );
  });
});
