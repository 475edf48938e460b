import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { BatchLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import { batchSettingsFromEnv } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { MAX_KEY_LENGTH } from '../policy/facts.ts';
import { ExportStats } from './export/ExportStats.ts';
import { withFailureNotice, type FailureNoticeOptions } from './export/failureNotice.ts';
import { queueDropMeterProvider } from './export/queueDropMeter.ts';
import { RetryingExporter, type Timers } from './export/RetryingExporter.ts';
import { LogPolicyProcessor } from './LogPolicyProcessor.ts';
import { RedactingProcessor } from './redact/RedactingProcessor.ts';
import { SanitizingProcessor } from './sanitize/SanitizingProcessor.ts';

export interface PolicyProcessorsOptions {
  /** Default: `loadPolicyConfig(process.env)` (throws LogPolicyConfigError on a bad value). */
  config?: PolicyConfig;
  /** Default: the OTLP/HTTP exporter, configured by the standard OTEL_EXPORTER_OTLP_* variables. */
  exporter?: LogRecordExporter;
  now?: () => number;
  /** Timers of the retry buffer (tests pass fake ones). */
  timers?: Timers;
  /** Warn when exports fail: at the first failure, then at most once a minute (register: on, to stderr). Default off. */
  exportFailureNotice?: FailureNoticeOptions;
}

/**
 * The processors to pass to `new NodeSDK({ logRecordProcessors })` or `new LoggerProvider({ processors })`:
 * policy → sanitizer (size caps, unserializable values) → redaction (on by default in production) →
 * BatchLogRecordProcessor (OTEL_BLRP_* honoured) → retry buffer for lifecycle/ERROR records → OTLP/HTTP.
 * Only what the policy lets through pays for the steps after it. `stats()` on the returned policy
 * processor includes what happened after it (`stats().export`).
 */
export function logPolicyProcessors(options: PolicyProcessorsOptions = {}): [LogPolicyProcessor] {
  const config = options.config ?? loadPolicyConfig();
  const stats = new ExportStats();
  const exporter = new RetryingExporter(options.exporter ?? new OTLPLogExporter(), {
    bufferSize: config.retryBufferSize,
    macroEvents: config.macroEvents,
    stats,
    maxRequestBytes: config.maxExportBytes,
    keptCaps: { maxBody: config.maxBodyLength, maxAttribute: config.maxAttributeLength, maxEventName: MAX_KEY_LENGTH },
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  let chain: LogRecordProcessor = new BatchLogRecordProcessor({
    exporter: options.exportFailureNotice === undefined ? exporter : withFailureNotice(exporter, options.exportFailureNotice),
    ...batchSettingsFromEnv(),
    selfObsMeterProvider: queueDropMeterProvider(stats),
  });
  if (config.redact) chain = new RedactingProcessor(chain, { extraPattern: config.redactPattern, stats });
  chain = new SanitizingProcessor(chain, { maxBodyLength: config.maxBodyLength, maxAttributeLength: config.maxAttributeLength, stats });
  const policy = new LogPolicyProcessor(chain, {
    config,
    exportStats: stats,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return [policy];
}
