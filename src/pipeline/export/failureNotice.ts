import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { RetryingExporter } from './RetryingExporter.ts';

/** Least time between two export-failure warnings. */
export const FAILURE_NOTICE_INTERVAL_MS = 60_000;

export interface FailureNoticeOptions {
  /** Where the warning line goes (register: the real stderr, never the captured console). */
  write: (line: string) => void;
  now?: () => number;
  intervalMs?: number;
}

/** The warning, from the retry buffer's counts. */
export function failureNoticeLine(exporter: RetryingExporter, error: Error | undefined): string {
  const { exportFailed, retryBuffered } = exporter.stats;
  // A failed record is either taken into the retry buffer (re-sent later) or lost for good.
  const lost = exportFailed - retryBuffered;
  const why = error === undefined ? '' : ` (${error.message})`;
  return `otel-log-policy: exporting logs failed${why}: ${lost} records lost so far, ${exporter.buffered} lifecycle/ERROR records buffered for re-sending; this warning repeats at most once a minute while exports fail (LOG_POLICY_QUIET=1 silences it)\n`;
}

/**
 * The retry exporter, seen from outside: a failed export writes one warning at once, then at most one
 * per interval while failures go on (failures in between are only counted, by the exporter's stats).
 * Export results pass through unchanged.
 */
export function withFailureNotice(exporter: RetryingExporter, options: FailureNoticeOptions): LogRecordExporter {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? FAILURE_NOTICE_INTERVAL_MS;
  let lastNotice: number | undefined;

  const observe = (result: ExportResult): void => {
    if (result.code === ExportResultCode.SUCCESS) return;
    const t = now();
    if (lastNotice !== undefined && t - lastNotice < interval) return;
    lastNotice = t;
    try {
      options.write(failureNoticeLine(exporter, result.error));
    } catch {
      // A closed stderr is no reason to break the export.
    }
  };

  return {
    export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
      exporter.export(records, (result) => {
        observe(result);
        done(result);
      });
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
