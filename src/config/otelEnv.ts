import { diag } from '@opentelemetry/api';

type Env = Readonly<Record<string, string | undefined>>;

export interface BatchSettings {
  maxQueueSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxExportBatchSize?: number;
}

const BLRP: ReadonlyArray<readonly [keyof BatchSettings, string]> = [
  ['maxQueueSize', 'OTEL_BLRP_MAX_QUEUE_SIZE'],
  ['scheduledDelayMillis', 'OTEL_BLRP_SCHEDULE_DELAY'],
  ['exportTimeoutMillis', 'OTEL_BLRP_EXPORT_TIMEOUT'],
  ['maxExportBatchSize', 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'],
];

/**
 * The standard OTEL_BLRP_* variables, read as sdk-node reads them (sdk-logs itself does not): a bad
 * value is the OpenTelemetry convention's business, so it is reported through diag and ignored.
 */
export function batchSettingsFromEnv(env: Env = process.env): BatchSettings {
  const settings: BatchSettings = {};
  for (const [field, variable] of BLRP) {
    const text = env[variable]?.trim();
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (Number.isFinite(value) && value >= 0) settings[field] = value;
    else diag.warn(`${variable}=${JSON.stringify(text)} is not a non-negative number; using the SDK default`);
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
  const names = [...new Set(setValue(env, 'OTEL_LOGS_EXPORTER')?.split(',').map((name) => name.trim()).filter((name) => name !== '') ?? [])];
  const unknown = names.filter((name) => !EXPORTER_NAMES.includes(name));
  const known = names.filter((name): name is LogExporterName | 'none' => EXPORTER_NAMES.includes(name));
  const exporters = names.length === 0 ? ['otlp' as const] : known.includes('none') ? [] : known.filter((name) => name !== 'none');
  if (unknown.length > 0) {
    const fallback = exporters.length > 0 ? `using ${exporters.join(', ')}` : 'no exporter is set up (the policy still runs and counts)';
    warnings.push(
      `OTEL_LOGS_EXPORTER=${JSON.stringify(env['OTEL_LOGS_EXPORTER'])}: ${unknown.map((name) => JSON.stringify(name)).join(', ')} not accepted `
        + `(accepted: otlp, console, none, or a comma list of them); ignored as NodeSDK does, so ${fallback}`,
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
