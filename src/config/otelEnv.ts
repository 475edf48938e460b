import { readList } from './envReaders.ts';
import { LogPolicyConfigError } from './errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface BatchSettings {
  maxQueueSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxExportBatchSize?: number;
}

/** The SDK's own defaults, needed to check a batch size against an unset queue size. */
const SDK_MAX_QUEUE_SIZE = 2048;
/** Node runs a timer of more than 2^31-1 ms after 1 ms instead. */
const MAX_TIMER_MS = 2_147_483_647;

interface Rule {
  field: keyof BatchSettings;
  variable: string;
  min: number;
  integer: boolean;
  accepted: string;
}

const BLRP: readonly Rule[] = [
  // 0 makes the SDK drop every record: its queue is always full.
  { field: 'maxQueueSize', variable: 'OTEL_BLRP_MAX_QUEUE_SIZE', min: 1, integer: true, accepted: 'a whole number of records, at least 1 (the SDK default is 2048)' },
  { field: 'scheduledDelayMillis', variable: 'OTEL_BLRP_SCHEDULE_DELAY', min: 0, integer: false, accepted: `milliseconds, from 0 to ${MAX_TIMER_MS} (the SDK default is 1000)` },
  { field: 'exportTimeoutMillis', variable: 'OTEL_BLRP_EXPORT_TIMEOUT', min: 1, integer: false, accepted: `milliseconds, from 1 to ${MAX_TIMER_MS} (the SDK default is 30000)` },
  // 0 makes the SDK export empty batches in a loop forever (one core busy, the process never exits).
  {
    field: 'maxExportBatchSize',
    variable: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
    min: 1,
    integer: true,
    accepted: 'a whole number of records, at least 1 and at most OTEL_BLRP_MAX_QUEUE_SIZE (the SDK default is 512)',
  },
];

/**
 * The standard OTEL_BLRP_* variables, read as sdk-node reads them (sdk-logs itself does not). A value
 * the SDK would accept but then spin on (batch size 0), drop every record with (queue size 0), or
 * misread (a timer over 2^31-1 ms fires after 1 ms) throws LogPolicyConfigError, like the policy's
 * own variables: OpenTelemetry's way, a diag warning, is silent unless the app set a diag logger.
 */
export function batchSettingsFromEnv(env: Env = process.env): BatchSettings {
  const settings: BatchSettings = {};
  for (const rule of BLRP) {
    const { variable } = rule;
    const text = env[variable]?.trim();
    if (text === undefined || text === '') continue;
    const value = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
    const max = rule.integer ? Number.MAX_SAFE_INTEGER : MAX_TIMER_MS;
    if (!(value >= rule.min && value <= max) || (rule.integer && !Number.isInteger(value))) {
      throw new LogPolicyConfigError(variable, text, `accepted: ${rule.accepted}`);
    }
    settings[rule.field] = value;
  }
  const queue = settings.maxQueueSize ?? SDK_MAX_QUEUE_SIZE;
  if (settings.maxExportBatchSize !== undefined && settings.maxExportBatchSize > queue) {
    throw new LogPolicyConfigError(
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
      env['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE']!.trim(),
      `accepted: at most OTEL_BLRP_MAX_QUEUE_SIZE (${queue}${settings.maxQueueSize === undefined ? ', the SDK default' : ''}), a larger batch never fills`,
    );
  }
  return settings;
}

/** Where OTLP/HTTP logs go, and which standard variable said so. */
export interface OtlpLogsTarget {
  variable: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT' | 'OTEL_EXPORTER_OTLP_ENDPOINT';
  value: string;
  /**
   * The signal-specific variable is the full URL; over HTTP the base one gets `/v1/logs` appended (as
   * the HTTP exporters do), over gRPC it is the address as it stands.
   */
  url: string;
}

export function otlpLogsTarget(env: Env = process.env, protocol: OtlpProtocol = DEFAULT_OTLP_PROTOCOL): OtlpLogsTarget | undefined {
  const logs = env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']?.trim();
  if (logs) return { variable: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', value: logs, url: logs };
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (base) return { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: base, url: protocol === 'grpc' ? base : `${base.replace(/\/+$/, '')}/v1/logs` };
  return undefined;
}

/** Is an OTLP logs endpoint configured in the standard variables? */
export function otlpEndpointFromEnv(env: Env = process.env): string | undefined {
  return otlpLogsTarget(env)?.value;
}

export type LogExporterName = 'otlp' | 'console';
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

const EXPORTER_NAMES: readonly string[] = ['otlp', 'console', 'none'];
const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];
/** NodeSDK's default, and its fallback for an unknown protocol. */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

/** Which log exporters the standard variables ask for, as NodeSDK (0.300, 0.301) reads them. */
export interface LogExportersSetting {
  /** In the order given, each once; empty for `none` (or nothing accepted). */
  exporters: LogExporterName[];
  /** The OTLP protocol (meaningful when `otlp` is chosen) and the variable that set it, if any. */
  protocol: OtlpProtocol;
  protocolSource: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL' | 'OTEL_EXPORTER_OTLP_PROTOCOL' | 'default';
  /** One line per value not accepted, naming the variable, the value, what is accepted and the fallback. */
  warnings: string[];
}

/** A set variable as @opentelemetry/core's getStringFromEnv sees it: blank is unset, the value itself untrimmed. */
function setValue(env: Env, variable: string): string | undefined {
  const raw = env[variable];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/**
 * OTEL_LOGS_EXPORTER (a comma list of otlp, console, none; default otlp; `none` anywhere wins) and
 * OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL (default http/protobuf).
 * Mirrors NodeSDK's configureLoggerProviderFromEnv: values are case-sensitive, an unknown exporter
 * name is ignored and an unknown protocol falls back to http/protobuf.
 */
export function logExportersSetting(env: Env = process.env): LogExportersSetting {
  const warnings: string[] = [];
  const names = [...new Set(readList(env, 'OTEL_LOGS_EXPORTER') ?? [])];
  const unknown = names.filter((name) => !EXPORTER_NAMES.includes(name));
  const known = names.filter((name): name is LogExporterName | 'none' => EXPORTER_NAMES.includes(name));
  const exporters = names.length === 0 ? ['otlp' as const] : known.includes('none') ? [] : known.filter((name) => name !== 'none');
  if (unknown.length > 0) {
    const fallback = exporters.length > 0 ? `using ${exporters.join(', ')}` : 'no exporter is set up (the policy still runs and counts)';
    warnings.push(
      `OTEL_LOGS_EXPORTER=${JSON.stringify(env['OTEL_LOGS_EXPORTER'])}: ${unknown.map((name) => JSON.stringify(name)).join(', ')} not accepted ` +
        `(accepted: otlp, console, none, or a comma list of them); ignored as NodeSDK does, so ${fallback}`,
    );
  }

  const logsProtocol = setValue(env, 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL');
  const baseProtocol = setValue(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  const protocolSource = logsProtocol !== undefined ? 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL' : baseProtocol !== undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : 'default';
  const asked = (logsProtocol ?? baseProtocol)?.trim();
  let protocol = DEFAULT_OTLP_PROTOCOL;
  if (asked !== undefined && PROTOCOLS.includes(asked as OtlpProtocol)) protocol = asked as OtlpProtocol;
  else if (asked !== undefined && exporters.includes('otlp')) {
    warnings.push(`${protocolSource}=${JSON.stringify(asked)} is not accepted (accepted: ${PROTOCOLS.join(', ')}); using ${DEFAULT_OTLP_PROTOCOL} as NodeSDK does`);
  }
  return { exporters, protocol, protocolSource, warnings };
}
