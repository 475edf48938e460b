import type { AnyValue } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** Row name for records outside any call (e.g. BOOT). */
export const NO_CALL = '(no call)';

/** What reached the exporter, by call: the records that passed the policy. */
export interface CallTally {
  exported: number;
  /** The CALL_END record's attributes: the processor's per-call summary. */
  summary?: Record<string, AnyValue>;
}

/** Wraps an exporter and counts, by call id, the records it exported (and, in all, the ones whose export failed). */
export class CountingExporter implements LogRecordExporter {
  readonly byCall = new Map<string, CallTally>();
  failed = 0;
  private readonly inner: LogRecordExporter;

  constructor(inner: LogRecordExporter) {
    this.inner = inner;
  }

  /** Counted when handed over (the CALL_END summary is read then), taken back if the export fails. */
  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    for (const record of records) this.tally(record).exported++;
    this.inner.export(records, (result) => {
      if (result.code !== 0 /* ExportResultCode.SUCCESS */) {
        for (const record of records) this.tally(record).exported--;
        this.failed += records.length;
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  private tally(record: ReadableLogRecord): CallTally {
    const id = record.attributes['call.id'];
    const call = typeof id === 'string' ? id : NO_CALL;
    let tally = this.byCall.get(call);
    if (tally === undefined) this.byCall.set(call, (tally = { exported: 0 }));
    if (record.eventName === 'CALL_END') tally.summary = { ...record.attributes } as Record<string, AnyValue>;
    return tally;
  }
}
