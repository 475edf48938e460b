import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { randomBytes } from 'node:crypto';
import { diag } from '@opentelemetry/api';
import { DEFAULT_MAX_ATTRIBUTE, DEFAULT_MAX_BODY, DEFAULT_MAX_EXPORT_BYTES } from '../../config/defaults.ts';
import { parseSize } from '../../config/sizes.ts';
import { MAX_KEY_LENGTH } from '../../policy/facts.ts';
import { classifyFailure, type ExportFailure } from './exportFailure.ts';
import { ExportStats } from './ExportStats.ts';
import { keptCopy, RECORD_UID, withUid, type KeptCaps } from './keptRecord.ts';
import { overflowReport } from './overflowReport.ts';
import { splitByBytes } from './requestSize.ts';
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
  /** Largest request, in bytes of its OTLP/JSON encoding (an upper bound for protobuf); batches are cut to it. */
  maxRequestBytes?: number;
  /** Caps of what the buffer keeps (its records are copied, cut to these). */
  keptCaps?: KeptCaps;
  timers?: Timers;
}

type SendResult = 'ok' | ExportFailure;

/** What became of the records of one delivery. */
interface Outcome {
  delivered: ReadableLogRecord[];
  refused: ReadableLogRecord[];
  /** Not delivered for want of a reachable collector: worth re-sending. */
  failed: ReadableLogRecord[];
  error?: Error;
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
 *
 * No record can stop the ones behind it: batches are cut to `maxRequestBytes`; a request the
 * receiver refuses (too large, invalid) is split in halves, each sent once, down to single records,
 * and a record refused alone is dropped and counted (`refused`), never kept. Lifecycle and ERROR
 * records carry a `log.record.uid`, so a copy delivered twice (a hung collector that wakes up with
 * a request its client had given up on) can be told apart. Also counts exported and failed records.
 */
export class RetryingExporter implements LogRecordExporter {
  readonly stats: ExportStats;
  private readonly inner: LogRecordExporter;
  private readonly bufferSize: number;
  private readonly macroEvents: ReadonlySet<string>;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly batchSize: number;
  private readonly maxBytes: number;
  private readonly caps: KeptCaps;
  private readonly timers: Timers;
  /** Record ids: unique per exporter (random prefix), cheap per record (a counter). */
  private readonly uidPrefix = randomBytes(8).toString('hex');
  private uidCount = 0;
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
    this.maxBytes = options.maxRequestBytes ?? parseSize(DEFAULT_MAX_EXPORT_BYTES)!;
    this.caps = options.keptCaps ?? { maxBody: DEFAULT_MAX_BODY, maxAttribute: DEFAULT_MAX_ATTRIBUTE, maxEventName: MAX_KEY_LENGTH };
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
    const tagged = records.map((record) => (isRetryable(record, this.macroEvents) ? this.tagged(record) : record));
    void this.deliver(tagged).then((outcome) => {
      this.stats.exported += outcome.delivered.length;
      if (outcome.failed.length === 0) {
        // The collector is reachable: re-send what waits now rather than at the next backoff.
        if ((this.buffer.length > 0 || this.unreported > 0) && !this.resending) {
          this.cancel();
          this.schedule(0);
        }
        if (outcome.refused.length === 0) done({ code: ExportResultCode.SUCCESS });
        else done({ code: ExportResultCode.FAILED, error: new Error(`the receiver refused ${outcome.refused.length} log records even alone; dropped`) });
        return;
      }
      this.stats.exportFailed += outcome.failed.length;
      this.keep(outcome.failed);
      done({ code: ExportResultCode.FAILED, error: outcome.error ?? new Error('export failed') });
    });
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

  /** The record with a `log.record.uid` (unless it has one): the same id on the first send and on every re-send. */
  private tagged(record: ReadableLogRecord): ReadableLogRecord {
    if (record.attributes[RECORD_UID] !== undefined) return record;
    return withUid(record, `${this.uidPrefix}-${(this.uidCount++).toString(36)}`);
  }

  /** One export through the inner exporter; a throw is the exporter refusing these records (serializing them failed), never escapes. */
  private sendOnce(records: ReadableLogRecord[]): Promise<{ result: SendResult; error?: Error }> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: SendResult, error?: Error) => {
        if (settled) return;
        settled = true;
        resolve(error === undefined ? { result } : { result, error });
      };
      try {
        this.inner.export(records, (r) => {
          if (r.code === ExportResultCode.SUCCESS) finish('ok');
          else finish(classifyFailure(r.error), r.error ?? new Error('export failed'));
        });
      } catch (error) {
        finish('refused', error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Sends `records` in requests cut to the byte limit; after the first unreachable one the rest is not tried. */
  private async deliver(records: ReadableLogRecord[]): Promise<Outcome> {
    const outcome: Outcome = { delivered: [], refused: [], failed: [] };
    try {
      const requests = splitByBytes(records, this.maxBytes);
      this.stats.byteSplits += requests.length - 1;
      for (let i = 0; i < requests.length; i++) {
        if (!(await this.sendSplitting(requests[i]!, outcome))) {
          for (const rest of requests.slice(i + 1)) outcome.failed.push(...rest);
          break;
        }
      }
    } catch (error) {
      // Nothing here should throw; if it does, what was not accounted for is re-sent rather than lost.
      const seen = new Set([...outcome.delivered, ...outcome.refused, ...outcome.failed]);
      outcome.failed.push(...records.filter((r) => !seen.has(r)));
      outcome.error = error instanceof Error ? error : new Error(String(error));
    }
    return outcome;
  }

  /**
   * Sends one request; if the receiver refuses it, each half is sent once (recursively), so one bad
   * or oversized record costs at most log2(n) refused requests and is then dropped alone.
   * Resolves false when the collector could not be reached (the records are in `outcome.failed`).
   */
  private async sendSplitting(records: ReadableLogRecord[], outcome: Outcome): Promise<boolean> {
    const { result, error } = await this.sendOnce(records);
    if (result === 'ok') {
      outcome.delivered.push(...records);
      return true;
    }
    if (result === 'unreachable') {
      outcome.failed.push(...records);
      if (error !== undefined) outcome.error = error;
      return false;
    }
    if (records.length === 1) {
      outcome.refused.push(records[0]!);
      this.stats.refused++;
      diag.warn(`otel-log-policy: the receiver refused a log record even alone; dropped (${error?.message ?? 'refused'})`);
      return true;
    }
    this.stats.refusedSplits++;
    const half = Math.ceil(records.length / 2);
    if (!(await this.sendSplitting(records.slice(0, half), outcome))) {
      outcome.failed.push(...records.slice(half));
      return false;
    }
    return await this.sendSplitting(records.slice(half), outcome);
  }

  /** Keeps bounded copies of the lifecycle and ERROR records among `records`. */
  private keep(records: ReadableLogRecord[]): void {
    if (this.bufferSize === 0) return;
    for (const record of records) {
      if (!isRetryable(record, this.macroEvents)) continue;
      if (this.buffer.length >= this.bufferSize) {
        this.stats.retryOverflowed++;
        this.unreported++;
        continue;
      }
      const kept = keptCopy(this.tagged(record), this.caps);
      this.buffer.push(kept);
      this.template = kept;
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

  /**
   * Re-sends the buffer batch by batch; on the first failure puts what failed back and waits longer.
   * The first request of each round is a single record: while the collector hangs, a probe that
   * times out may still be delivered when it wakes, so each such probe duplicates one record, not a batch.
   */
  private async resend(): Promise<boolean> {
    if (this.resending) return false;
    this.resending = true;
    try {
      let take = 1;
      while (this.buffer.length > 0 || this.unreported > 0) {
        const batch = this.buffer.splice(0, take);
        take = this.batchSize;
        const lost = this.buffer.length === 0 && this.template !== undefined ? this.unreported : 0;
        const report = lost > 0 ? overflowReport(this.template!, lost) : undefined;
        if (report !== undefined) batch.push(report);
        if (batch.length === 0) break;
        const outcome = await this.deliver(batch);
        this.stats.retryResent += outcome.delivered.filter((r) => r !== report).length;
        if (report !== undefined && !outcome.failed.includes(report)) this.unreported -= lost;
        if (outcome.failed.length > 0) {
          this.buffer.unshift(...outcome.failed.filter((r) => r !== report));
          this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
          return false;
        }
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
