import { diag, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/**
 * Hands each record to several processors (one per exporter: OTEL_LOGS_EXPORTER=otlp,console), so the
 * policy, the sanitizer and redaction run once for all of them. With none (`none`) records end here.
 */
export class FanOutProcessor implements LogRecordProcessor {
  private readonly processors: readonly LogRecordProcessor[];

  constructor(processors: readonly LogRecordProcessor[]) {
    this.processors = processors;
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    for (const processor of this.processors) {
      // One exporter's failure must not cost the others the record.
      try {
        processor.onEmit(record, context);
      } catch (error) {
        diag.error('otel-log-policy: a log record processor threw in onEmit', error);
      }
    }
  }

  /** True with no processors, so the policy still sees (and counts) records with no exporter. */
  enabled(options: Parameters<NonNullable<LogRecordProcessor['enabled']>>[0]): boolean {
    return this.processors.length === 0 || this.processors.some((p) => p.enabled === undefined || p.enabled(options));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
