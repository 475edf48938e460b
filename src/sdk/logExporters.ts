import type { FailureNoticeOptions } from '../pipeline/export/failureNotice.ts';
import { diag } from '@opentelemetry/api';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { ConsoleLogRecordExporter, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import { logExportersSetting, type OtlpProtocol } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import type { Timers } from '../pipeline/export/RetryingExporter.ts';
import { assemblePolicyChain } from '../pipeline/assemble.ts';
import { LazyExporter } from '../pipeline/export/LazyExporter.ts';
import type { LogPolicyProcessor } from '../pipeline/LogPolicyProcessor.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface PolicyProcessorsOptions {
  /** Default: `loadPolicyConfig(process.env)` (throws LogPolicyConfigError on a bad value). */
  config?: PolicyConfig;
  /**
   * The exporter behind the batch and the retry buffer. Default: chosen as NodeSDK chooses, by
   * OTEL_LOGS_EXPORTER and OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL; each exporter reads its own
   * OTEL_EXPORTER_OTLP_* endpoint, headers, compression and timeout. Given, it wins over those.
   */
  exporter?: LogRecordExporter;
  now?: () => number;
  /** Timers of the retry buffer (tests pass fake ones). */
  timers?: Timers;
  /** Warn when exports fail: at the first failure, then at most once a minute (register: on, to stderr). Default off. */
  exportFailureNotice?: FailureNoticeOptions;
}

/**
 * The SDK's own OTLP log exporter for a protocol; each reads its OTEL_EXPORTER_OTLP_* variables itself.
 * The gRPC one is imported only when chosen (a LazyExporter whose `ready` is that exporter).
 */
export function otlpLogExporter(protocol: OtlpProtocol): LogRecordExporter {
  switch (protocol) {
    case 'grpc':
      return new LazyExporter(async () => new (await import('@opentelemetry/exporter-logs-otlp-grpc')).OTLPLogExporter());
    case 'http/json':
      return new JsonLogExporter();
    case 'http/protobuf':
      return new ProtobufLogExporter();
  }
}

/** The exporters the standard variables ask for, created; what goes where is assemblePolicyChain's `exporter` and `immediate`. */
export interface EnvLogExporters {
  /** The OTLP exporter (`otlp`, the default): batched, behind the retry buffer. */
  exporter?: LogRecordExporter;
  /** The console exporter (`console`): records printed as they pass, as NodeSDK does (a SimpleLogRecordProcessor). */
  immediate: LogRecordExporter[];
  warnings: string[];
}

/** OTEL_LOGS_EXPORTER and OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL → the SDK's own exporters, as NodeSDK creates them. */
export function logExportersFromEnv(env: Env = process.env): EnvLogExporters {
  const setting = logExportersSetting(env);
  return {
    ...(setting.exporters.includes('otlp') ? { exporter: otlpLogExporter(setting.protocol) } : {}),
    immediate: setting.exporters.includes('console') ? [new ConsoleLogRecordExporter()] : [],
    warnings: setting.warnings,
  };
}

/**
 * logPolicyProcessors() with the environment and the warning sink given: register passes its own
 * stderr line writer, since diag is silent unless the app set a diag logger.
 */
export function policyProcessorsFromEnv(options: PolicyProcessorsOptions, env: Env, warn: (line: string) => void): [LogPolicyProcessor] {
  const config = options.config ?? loadPolicyConfig(env);
  const common = {
    config,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    ...(options.exportFailureNotice === undefined ? {} : { exportFailureNotice: options.exportFailureNotice }),
  };
  if (options.exporter !== undefined) return assemblePolicyChain({ ...common, exporter: options.exporter });
  const { warnings, ...exporters } = logExportersFromEnv(env);
  for (const warning of warnings) warn(warning);
  return assemblePolicyChain({ ...common, ...exporters });
}

/**
 * The processors to pass to `new NodeSDK({ logRecordProcessors })` or `new LoggerProvider({ processors })`:
 * policy → sanitizer (size caps, unserializable values) → redaction (on by default in production) →
 * the exporters NodeSDK would choose from OTEL_LOGS_EXPORTER and OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL
 * (otlp: BatchLogRecordProcessor with OTEL_BLRP_* → retry buffer for lifecycle/ERROR records →
 * OTLP over grpc, http/protobuf (default) or http/json; console: printed as they pass; none: no
 * exporter, the policy still counts). Only what the policy lets through pays for the steps after it.
 * `stats()` on the returned policy processor includes what happened after it (`stats().export`).
 * A value of those variables that is not accepted is one diag warning, and NodeSDK's fallback.
 */
export function logPolicyProcessors(options: PolicyProcessorsOptions = {}): [LogPolicyProcessor] {
  return policyProcessorsFromEnv(options, process.env, (line) => diag.warn(`otel-log-policy: ${line}`));
}
