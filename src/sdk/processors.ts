import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { BatchLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { batchSettingsFromEnv } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { LogPolicyProcessor } from '../processor/LogPolicyProcessor.ts';

export interface PolicyProcessorsOptions {
  /** Default: `loadPolicyConfig(process.env)` (throws LogPolicyConfigError on a bad value). */
  config?: PolicyConfig;
  /** Default: the OTLP/HTTP exporter, configured by the standard OTEL_EXPORTER_OTLP_* variables. */
  exporter?: LogRecordExporter;
  now?: () => number;
}

/**
 * The processors to pass to `new NodeSDK({ logRecordProcessors })` or `new LoggerProvider({ processors })`:
 * the policy wrapping a BatchLogRecordProcessor (OTEL_BLRP_* honoured) over the OTLP/HTTP exporter.
 */
export function logPolicyProcessors(options: PolicyProcessorsOptions = {}): LogRecordProcessor[] {
  const exporter = options.exporter ?? new OTLPLogExporter();
  const batch = new BatchLogRecordProcessor({ exporter, ...batchSettingsFromEnv() });
  const policy = new LogPolicyProcessor(batch, {
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return [policy];
}
