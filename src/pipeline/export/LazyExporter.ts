import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/**
 * An exporter whose module is imported when it is chosen, not when this package loads: the gRPC
 * exporter brings @grpc/grpc-js, about 2.4 MiB of heap that a server sending over HTTP would
 * otherwise carry (and its garbage collector mark) for its whole life. Calls made while the import
 * runs wait for it; if it fails, every export fails with its error, which the retry buffer and the
 * export stats count like any other failure.
 */
export class LazyExporter implements LogRecordExporter {
  /** The exporter, once its module is loaded. */
  readonly ready: Promise<LogRecordExporter>;

  constructor(load: () => Promise<LogRecordExporter>) {
    this.ready = load();
    // Reported by each export; not an unhandled rejection of the host process.
    this.ready.catch(() => {});
  }

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.ready.then(
      (exporter) => exporter.export(records, resultCallback),
      (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  forceFlush(): Promise<void> {
    return this.ready.then(
      (exporter) => exporter.forceFlush?.(),
      () => {},
    );
  }

  shutdown(): Promise<void> {
    return this.ready.then(
      (exporter) => exporter.shutdown(),
      () => {},
    );
  }
}
