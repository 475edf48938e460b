import { BatchLogRecordProcessor, SimpleLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { batchSettingsFromEnv } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { MAX_KEY_LENGTH } from '../policy/facts.ts';
import { ExportStats } from './export/ExportStats.ts';
import { withFailureNotice, type FailureNoticeOptions } from './export/failureNotice.ts';
import { queueDropMeterProvider } from './export/queueDropMeter.ts';
import { RetryingExporter, type Timers } from './export/RetryingExporter.ts';
import { FanOutProcessor } from './FanOutProcessor.ts';
import { LogPolicyProcessor } from './LogPolicyProcessor.ts';
import { RedactingProcessor } from './redact/RedactingProcessor.ts';
import { SanitizingProcessor } from './sanitize/SanitizingProcessor.ts';

export interface PolicyChainOptions {
  config: PolicyConfig;
  /** Behind the batch processor and the retry buffer: the OTLP exporter (or the app's own). */
  exporter?: LogRecordExporter;
  /** Exported record by record, with no batch or retry buffer: the console exporter, as NodeSDK does. */
  immediate?: readonly LogRecordExporter[];
  now?: () => number;
  /** Timers of the retry buffer (tests pass fake ones). */
  timers?: Timers;
  /** Warn when exports fail: at the first failure, then at most once a minute (register: on, to stderr). Default off. */
  exportFailureNotice?: FailureNoticeOptions;
}

/**
 * The policy chain for given exporters (which ones is the caller's choice; see sdk/logExporters.ts):
 * policy → sanitizer (size caps, unserializable values) → redaction (on by default in production) →
 * BatchLogRecordProcessor (OTEL_BLRP_* honoured) → retry buffer for lifecycle/ERROR records → `exporter`,
 * and beside the batch, each `immediate` exporter. With no exporter at all the policy still runs and
 * counts. Only what the policy lets through pays for the steps after it. `stats()` on the returned
 * policy processor includes what happened after it (`stats().export`, for `exporter`).
 */
export function assemblePolicyChain(options: PolicyChainOptions): [LogPolicyProcessor] {
  const config = options.config;
  const stats = new ExportStats();
  const exporter =
    options.exporter === undefined
      ? undefined
      : new RetryingExporter(options.exporter, {
          bufferSize: config.retryBufferSize,
          macroEvents: config.macroEvents,
          stats,
          maxRequestBytes: config.maxExportBytes,
          keptCaps: { maxBody: config.maxBodyLength, maxAttribute: config.maxAttributeLength, maxEventName: MAX_KEY_LENGTH },
          ...(options.timers === undefined ? {} : { timers: options.timers }),
        });
  const outputs: LogRecordProcessor[] =
    exporter === undefined
      ? []
      : [
          new BatchLogRecordProcessor({
            exporter: options.exportFailureNotice === undefined ? exporter : withFailureNotice(exporter, options.exportFailureNotice),
            ...batchSettingsFromEnv(),
            selfObsMeterProvider: queueDropMeterProvider(stats),
          }),
        ];
  for (const printer of options.immediate ?? []) outputs.push(new SimpleLogRecordProcessor({ exporter: printer }));
  // One exporter: no fan-out in between. None (OTEL_LOGS_EXPORTER=none): an empty fan-out, so the policy still counts.
  let chain: LogRecordProcessor = outputs.length === 1 ? outputs[0]! : new FanOutProcessor(outputs);
  if (config.redact) chain = new RedactingProcessor(chain, { extraPattern: config.redactPattern, stats });
  chain = new SanitizingProcessor(chain, { maxBodyLength: config.maxBodyLength, maxAttributeLength: config.maxAttributeLength, stats });
  const policy = new LogPolicyProcessor(chain, {
    config,
    exportStats: stats,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return [policy];
}
