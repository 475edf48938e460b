import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadRegisterConfig } from '../../src/config/registerConfig.ts';

describe('loadRegisterConfig', () => {
  test('console capture is off unless asked', () => {
    expect(loadRegisterConfig({})).toEqual({ captureConsole: false, consoleEcho: 'errors', quiet: false });
    expect(loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: '1', LOG_POLICY_CONSOLE_ECHO: 'all', LOG_POLICY_QUIET: '1' })).toEqual({
      captureConsole: true,
      consoleEcho: 'all',
      quiet: true,
    });
    expect(loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: 'false' }).captureConsole).toBe(false);
  });

  test.each([
    ['all', 'all'],
    ['ERRORS', 'errors'],
    [' none ', 'none'],
    ['', 'errors'],
    // The older 1/0 flag keeps its meaning.
    ['1', 'all'],
    ['true', 'all'],
    ['0', 'none'],
    ['false', 'none'],
  ])('LOG_POLICY_CONSOLE_ECHO=%j is %s', (value, echo) => {
    expect(loadRegisterConfig({ LOG_POLICY_CONSOLE_ECHO: value }).consoleEcho).toBe(echo);
  });

  test('a bad LOG_POLICY_CONSOLE_ECHO or LOG_POLICY_QUIET names what is accepted', () => {
    expect(() => loadRegisterConfig({ LOG_POLICY_CONSOLE_ECHO: 'warn' })).toThrow(
      'LOG_POLICY_CONSOLE_ECHO="warn" is not valid: accepted: all, errors, none (1/true = all, 0/false = none)',
    );
    expect(() => loadRegisterConfig({ LOG_POLICY_QUIET: 'yes' })).toThrow('LOG_POLICY_QUIET="yes" is not valid: accepted: 1, true, 0, false');
  });

  test('a bad value names the variable, the value and what is accepted', () => {
    expect(() => loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: 'yes' })).toThrow(LogPolicyConfigError);
    expect(() => loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: 'yes' })).toThrow('LOG_POLICY_CAPTURE_CONSOLE="yes" is not valid: accepted: 1, true, 0, false');
  });
});
