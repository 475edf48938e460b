import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** An exporter whose behaviour a test switches: up (keeps records), down (fails), throwing, or hanging (never answers). */
export class FakeExporter implements LogRecordExporter {
  mode: 'up' | 'down' | 'throw' | 'hang' = 'up';
  readonly received: ReadableLogRecord[] = [];
  attempts = 0;
  hanging: ((result: ExportResult) => void)[] = [];
  /** Every batch handed to export, whatever the answer. */
  readonly attempted: ReadableLogRecord[][] = [];
  /** When it says so, the batch is refused as a receiver refuses an oversized request (HTTP 400). */
  refuse: (records: ReadableLogRecord[]) => boolean = () => false;

  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.attempts++;
    this.attempted.push(records);
    if (this.mode === 'throw') throw new Error('exporter exploded');
    if (this.refuse(records)) {
      setImmediate(() => done({ code: ExportResultCode.FAILED, error: Object.assign(new Error('Bad Request'), { code: 400 }) }));
      return;
    }
    if (this.mode === 'hang') {
      this.hanging.push(done);
      return;
    }
    if (this.mode === 'down') {
      setImmediate(() => done({ code: ExportResultCode.FAILED, error: new Error('ECONNREFUSED') }));
      return;
    }
    this.received.push(...records);
    setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  bodies(): string[] {
    return this.received.map((r) => String(r.body));
  }
}
