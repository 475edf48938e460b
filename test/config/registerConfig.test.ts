import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadRegisterConfig } from '../../src/config/registerConfig.ts';

describe('loadRegisterConfig', () => {
  test('console capture is off unless asked', () => {
    expect(loadRegisterConfig({})).toEqual({ captureConsole: false, consoleEcho: false });
    expect(loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: '1', LOG_POLICY_CONSOLE_ECHO: 'true' })).toEqual({ captureConsole: true, consoleEcho: true });
    expect(loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: 'false' }).captureConsole).toBe(false);
  });

  test('a bad value names the variable, the value and what is accepted', () => {
    expect(() => loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: 'yes' })).toThrow(LogPolicyConfigError);
    expect(() => loadRegisterConfig({ LOG_POLICY_CAPTURE_CONSOLE: 'yes' })).toThrow('LOG_POLICY_CAPTURE_CONSOLE="yes" is not valid: accepted: 1, true, 0, false');
  });
});
