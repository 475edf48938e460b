import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** A processor that changes records and hands them on; `enabled`, flush and shutdown pass straight through. */
export abstract class ForwardingProcessor implements LogRecordProcessor {
  protected readonly downstream: LogRecordProcessor;

  constructor(downstream: LogRecordProcessor) {
    this.downstream = downstream;
  }

  abstract onEmit(record: ReadWriteLogRecord, context?: Context): void;

  enabled(options: Parameters<NonNullable<LogRecordProcessor['enabled']>>[0]): boolean {
    return this.downstream.enabled === undefined || this.downstream.enabled(options);
  }

  forceFlush(): Promise<void> {
    return this.downstream.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.downstream.shutdown();
  }
}
