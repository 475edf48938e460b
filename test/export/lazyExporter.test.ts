import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { LazyExporter } from '../../src/pipeline/export/LazyExporter.ts';

const RECORD = { body: 'x' } as unknown as ReadableLogRecord;
const exported = (exporter: LazyExporter) => new Promise<ExportResult>((resolve) => exporter.export([RECORD], resolve));

describe('LazyExporter: an exporter imported when chosen', () => {
  it('holds calls made while it loads, then hands them to the loaded exporter in order', async () => {
    const inner = new InMemoryLogRecordExporter();
    let finish!: (e: InMemoryLogRecordExporter) => void;
    const lazy = new LazyExporter(() => new Promise((resolve) => (finish = resolve)));
    const first = exported(lazy);
    const second = exported(lazy);
    expect(inner.getFinishedLogRecords()).toHaveLength(0);
    finish(inner);
    expect(await first).toEqual({ code: ExportResultCode.SUCCESS });
    expect(await second).toEqual({ code: ExportResultCode.SUCCESS });
    expect(inner.getFinishedLogRecords()).toEqual([RECORD, RECORD]);
    await lazy.shutdown();
    // Shut down, the in-memory exporter fails what comes after: the call reached it.
    expect((await exported(lazy)).code).toBe(ExportResultCode.FAILED);
  });

  it('fails each export with the import error, and flushes and shuts down without throwing', async () => {
    const lazy = new LazyExporter(() => Promise.reject(new Error('Cannot find package @opentelemetry/exporter-logs-otlp-grpc')));
    const result = await exported(lazy);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('Cannot find package @opentelemetry/exporter-logs-otlp-grpc');
    await expect(lazy.forceFlush()).resolves.toBeUndefined();
    await expect(lazy.shutdown()).resolves.toBeUndefined();
  });
});
