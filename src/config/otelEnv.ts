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
  { field: 'maxExportBatchSize', variable: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', min: 1, integer: true, accepted: 'a whole number of records, at least 1 and at most OTEL_BLRP_MAX_QUEUE_SIZE (the SDK default is 512)' },
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
    throw new LogPolicyConfigError('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', env['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE']!.trim(),
      `accepted: at most OTEL_BLRP_MAX_QUEUE_SIZE (${queue}${settings.maxQueueSize === undefined ? ', the SDK default' : ''}), a larger batch never fills`);
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
