import { LogPolicyConfigError } from './errors.ts';
import { list, onOff, read, type Env } from './envReaders.ts';

/** Which websocket connections are calls, for the automatic call scopes (src/calls/). */
export interface CallsConfig {
  /** `LOG_POLICY_AUTO_CALLS` (default on): under register, each accepted `ws` connection is a call. */
  readonly autoCalls: boolean;
  /** `LOG_POLICY_CALL_PATHS`: URL paths or globs (`*` within a segment, `**` across); empty = every upgrade. */
  readonly callPaths: readonly string[];
}

/** A path glob: starts with `/`, URL path characters and `*` only. */
const PATH_GLOB = /^\/[A-Za-z0-9_.~!$&'()+;=:@%*/-]{0,255}$/;

export function loadCallsConfig(env: Env = process.env): CallsConfig {
  return Object.freeze({
    autoCalls: onOff(env, 'LOG_POLICY_AUTO_CALLS', true),
    callPaths: Object.freeze(callPaths(env)),
  });
}

function callPaths(env: Env): string[] {
  const variable = 'LOG_POLICY_CALL_PATHS';
  const value = read(env, 'LOG_POLICY_CALL_PATHS');
  if (value === undefined) return [];
  const paths = list(value);
  for (const path of paths) {
    if (!PATH_GLOB.test(path)) {
      throw new LogPolicyConfigError(
        variable,
        value,
        `"${path}" is not a path; accepted: a comma list of URL paths starting with /, * matching within a segment and ** across segments (e.g. /media,/streams/*)`,
      );
    }
  }
  return paths;
}
