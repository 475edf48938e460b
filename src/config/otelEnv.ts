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
  /** The signal-specific variable is the full URL; the base one gets `/v1/logs` appended (as the exporter does). */
  url: string;
}

export function otlpLogsTarget(env: Env = process.env): OtlpLogsTarget | undefined {
  const logs = env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']?.trim();
  if (logs) return { variable: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', value: logs, url: logs };
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (base) return { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: base, url: `${base.replace(/\/+$/, '')}/v1/logs` };
  return undefined;
}

/** Is an OTLP logs endpoint configured in the standard variables? */
export function otlpEndpointFromEnv(env: Env = process.env): string | undefined {
  return otlpLogsTarget(env)?.value;
}
