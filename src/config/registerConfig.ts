import { flag } from './envReaders.ts';

/** What the zero-code `register` entry does beyond starting the SDK with the policy. */
export interface RegisterConfig {
  /** `LOG_POLICY_CAPTURE_CONSOLE=1`: console.log/info/warn/error/debug become records through the policy. */
  readonly captureConsole: boolean;
  /** `LOG_POLICY_CONSOLE_ECHO=1`: captured console calls still print to the real console. */
  readonly consoleEcho: boolean;
}

/** Throws LogPolicyConfigError on a bad value, like {@link loadPolicyConfig}. */
export function loadRegisterConfig(env: NodeJS.ProcessEnv = process.env): RegisterConfig {
  return Object.freeze({
    captureConsole: flag(env, 'LOG_POLICY_CAPTURE_CONSOLE'),
    consoleEcho: flag(env, 'LOG_POLICY_CONSOLE_ECHO'),
  });
}
