import { LogPolicyConfigError } from './errors.ts';
import { flag, read, type Env } from './envReaders.ts';

/** Which captured console calls still print: every one, `console.warn`/`console.error` only, or none. */
export type ConsoleEcho = 'all' | 'errors' | 'none';

/** What the zero-code `register` entry does beyond starting the SDK with the policy. */
export interface RegisterConfig {
  /** `LOG_POLICY_CAPTURE_CONSOLE=1`: console.log/info/warn/error/debug become records through the policy. */
  readonly captureConsole: boolean;
  /** `LOG_POLICY_CONSOLE_ECHO`: which captured console calls still print to the real console (default `errors`). */
  readonly consoleEcho: ConsoleEcho;
  /** `LOG_POLICY_QUIET=1`: no start-up line and no export-failure warnings on stderr. */
  readonly quiet: boolean;
}

/** `all|errors|none`; the older `1`/`true` and `0`/`false` of the flag it was still mean `all` and `none`. */
function consoleEcho(env: Env): ConsoleEcho {
  const value = read(env, 'LOG_POLICY_CONSOLE_ECHO');
  if (value === undefined) return 'errors';
  const lower = value.toLowerCase();
  if (lower === 'all' || lower === 'errors' || lower === 'none') return lower;
  if (lower === '1' || lower === 'true') return 'all';
  if (lower === '0' || lower === 'false') return 'none';
  throw new LogPolicyConfigError('LOG_POLICY_CONSOLE_ECHO', value, 'accepted: all, errors, none (1/true = all, 0/false = none)');
}

/** Throws LogPolicyConfigError on a bad value, like {@link loadPolicyConfig}. */
export function loadRegisterConfig(env: NodeJS.ProcessEnv = process.env): RegisterConfig {
  return Object.freeze({
    captureConsole: flag(env, 'LOG_POLICY_CAPTURE_CONSOLE'),
    consoleEcho: consoleEcho(env),
    quiet: flag(env, 'LOG_POLICY_QUIET'),
  });
}
