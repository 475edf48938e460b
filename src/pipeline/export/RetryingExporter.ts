import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ExportStats } from './ExportStats.ts';
import { overflowReport } from './overflowReport.ts';
import { isRetryable } from './retryable.ts';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RetryingExporterOptions {
  /** Records held at most; beyond it new ones are counted as overflowed and lost. 0 = no buffer (counting only). */
  bufferSize: number;
  macroEvents: ReadonlySet<string>;
  stats?: ExportStats;
  /** First wait before re-sending; doubled after each failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Records per re-send. */
  batchSize?: number;
  timers?: Timers;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Wraps the OTLP exporter. Its own retries give up after about ten seconds; a collector outage lasts
 * longer. Lifecycle records (macro events) and ERRORs of a failed export are kept in a bounded buffer
 * and re-sent with backoff until the collector takes them; what the buffer cannot hold is counted,
 * and reported by a WARN record once the collector is back. While records wait, new batches fail at
 * once (their lifecycle and ERROR records join the buffer) and only the re-send probes the collector.
 * Also counts exported and failed records.
 */
export class RetryingExporter implements LogRecordExporter {
  readonly stats: ExportStats;
  private readonly inner: LogRecordExporter;
  private readonly bufferSize: number;
  private readonly macroEvents: ReadonlySet<string>;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly batchSize: number;
  private readonly timers: Timers;
  private buffer: ReadableLogRecord[] = [];
  private backoff: number;
  private timer: unknown;
  private resending = false;
  /** Overflowed records not yet reported to the collector. */
  private unreported = 0;
  private stopped = false;
  /** A kept record whose resource the overflow report borrows. */
  private template: ReadableLogRecord | undefined;

  constructor(inner: LogRecordExporter, options: RetryingExporterOptions) {
    this.inner = inner;
    this.bufferSize = options.bufferSize;
    this.macroEvents = options.macroEvents;
    this.stats = options.stats ?? new ExportStats();
    this.initialBackoff = options.initialBackoffMs ?? 1_000;
    this.maxBackoff = options.maxBackoffMs ?? 15_000;
    this.batchSize = options.batchSize ?? 512;
    this.timers = options.timers ?? realTimers;
    this.backoff = this.initialBackoff;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    if (this.buffer.length > 0 && !this.stopped) {
      // An outage is known and a probe is scheduled: fail at once instead of spending the exporter's
      // ten seconds of retries on each batch, so the SDK's queue keeps draining into the buffer.
      this.stats.exportFailed += records.length;
      this.keep(records);
      done({ code: ExportResultCode.FAILED, error: new Error('collector unreachable: lifecycle and ERROR records kept for re-sending') });
      return;
    }
    this.send(records, (ok) => {
      if (ok) {
        this.stats.exported += records.length;
        // The collector is reachable: re-send what waits now rather than at the next backoff.
        if ((this.buffer.length > 0 || this.unreported > 0) && !this.resending) {
          this.cancel();
          this.schedule(0);
        }
      } else {
        this.stats.exportFailed += records.length;
        this.keep(records);
      }
    }, done);
  }

  async forceFlush(): Promise<void> {
    await this.resendNow();
    await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.resendNow();
    this.stopped = true;
    this.cancel();
    await this.inner.shutdown();
  }

  /** One export through the inner exporter; a throw counts as a failure, never escapes. */
  private send(records: ReadableLogRecord[], after: (ok: boolean) => void, done?: (result: ExportResult) => void): void {
    let settled = false;
    const finish = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      try {
        after(result.code === ExportResultCode.SUCCESS);
      } finally {
        done?.(result);
      }
    };
    try {
      this.inner.export(records, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  private keep(records: ReadableLogRecord[]): void {
    if (this.bufferSize === 0) return;
    for (const record of records) {
      if (!isRetryable(record, this.macroEvents)) continue;
      if (this.buffer.length >= this.bufferSize) {
        this.stats.retryOverflowed++;
        this.unreported++;
        continue;
      }
      this.buffer.push(record);
      this.template = record;
      this.stats.retryBuffered++;
    }
    if (this.buffer.length > 0 || this.unreported > 0) this.schedule(this.backoff);
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer !== undefined || this.resending) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.resend();
    }, ms);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Re-sends the buffer batch by batch; on the first failure puts the batch back and waits longer. */
  private async resend(): Promise<boolean> {
    if (this.resending) return false;
    this.resending = true;
    try {
      while (this.buffer.length > 0 || this.unreported > 0) {
        const batch = this.buffer.splice(0, this.batchSize);
        const lost = batch.length < this.batchSize && this.template !== undefined ? this.unreported : 0;
        if (lost > 0) batch.push(overflowReport(this.template!, lost));
        if (batch.length === 0) break;
        const ok = await new Promise<boolean>((resolve) => this.send(batch, resolve));
        const resent = lost > 0 ? batch.slice(0, -1) : batch;
        if (!ok) {
          this.buffer.unshift(...resent);
          this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
          return false;
        }
        this.stats.retryResent += resent.length;
        this.unreported -= lost;
      }
      this.backoff = this.initialBackoff;
      return true;
    } finally {
      this.resending = false;
      if (this.buffer.length > 0) this.schedule(this.backoff);
    }
  }

  private async resendNow(): Promise<void> {
    this.cancel();
    if (this.buffer.length > 0) await this.resend();
  }
}
