import { modeLine } from '../config/describeMode.ts';
import { logExportersSetting, otlpLogsTarget } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import type { ConsoleEcho } from '../config/registerConfig.ts';

/** Where the OTLP/HTTP exporter sends when no endpoint variable is set (its documented default). */
export const DEFAULT_OTLP_LOGS_URL = 'http://localhost:4318/v1/logs';

/** Which connections become calls automatically (the `calls` layer's settings). */
export interface AutoCallsSummary {
  /** `LOG_POLICY_AUTO_CALLS` (default on, `0` off). */
  readonly enabled: boolean;
  /** `LOG_POLICY_CALL_PATHS`: URL paths or globs; empty = every websocket upgrade. */
  readonly paths: readonly string[];
}

export interface StartupFacts {
  readonly policy: Pick<PolicyConfig, 'mode' | 'modeSource'>;
  /** Where records go, e.g. from {@link describeDestination}. */
  readonly destination: string;
  readonly console: { readonly captured: boolean; readonly echo: ConsoleEcho };
  /**
   * AUTO-CALLS PARAMETER, for the automatic call scopes (issue 10 item 1): the caller passes the
   * parsed `LOG_POLICY_AUTO_CALLS` / `LOG_POLICY_CALL_PATHS` here. `undefined` (until that lands)
   * leaves the calls clause out of the line.
   */
  readonly calls?: AutoCallsSummary | undefined;
}

/**
 * "OTLP http/protobuf http://127.0.0.1:4318/v1/logs (OTEL_EXPORTER_OTLP_ENDPOINT)", "the console",
 * "nowhere (OTEL_LOGS_EXPORTER=none)": the exporters the standard variables choose, as NodeSDK would.
 */
export function describeDestination(env: Readonly<Record<string, string | undefined>>): string {
  const setting = logExportersSetting(env);
  if (setting.exporters.length === 0) return 'nowhere (OTEL_LOGS_EXPORTER=none; the policy still counts)';
  return setting.exporters
    .map((name) => {
      if (name === 'console') return 'the console (OTEL_LOGS_EXPORTER=console)';
      const target = otlpLogsTarget(env, setting.protocol);
      const url = target?.url ?? (setting.protocol === 'grpc' ? 'http://localhost:4317' : DEFAULT_OTLP_LOGS_URL);
      return `OTLP ${setting.protocol} ${url} (${target === undefined ? 'the default: no OTEL_EXPORTER_OTLP_ENDPOINT' : target.variable})`;
    })
    .join(' and ');
}

const ECHO_WORDS: Record<ConsoleEcho, string> = {
  errors: 'console.warn/error still printed',
  all: 'every console call still printed',
  none: 'nothing printed',
};

function consoleClause({ captured, echo }: StartupFacts['console']): string {
  if (!captured) return 'console not captured (LOG_POLICY_CAPTURE_CONSOLE=1 captures it)';
  return `console captured, ${ECHO_WORDS[echo]} (LOG_POLICY_CONSOLE_ECHO=${echo})`;
}

function callsClause(calls: AutoCallsSummary): string {
  if (!calls.enabled) return 'calls not auto-scoped (LOG_POLICY_AUTO_CALLS=0)';
  return calls.paths.length === 0 ? 'calls auto-scoped on every websocket upgrade' : `calls auto-scoped on ${calls.paths.join(', ')} (LOG_POLICY_CALL_PATHS)`;
}

/**
 * The one line register prints on stderr at start-up (without its `otel-log-policy: ` prefix): the
 * mode and why, where records go, whether the console is captured, which connections are calls.
 */
export function startupLine(facts: StartupFacts): string {
  const clauses = [modeLine(facts.policy), `records to ${facts.destination}`, consoleClause(facts.console)];
  if (facts.calls !== undefined) clauses.push(callsClause(facts.calls));
  return `${clauses.join('; ')}; LOG_POLICY_QUIET=1 hides this line`;
}
