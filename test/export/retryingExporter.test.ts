import { ExportResultCode } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, test } from 'vitest';
import { MACRO_EVENTS } from '../../src/config/defaults.ts';
import { RetryingExporter } from '../../src/pipeline/export/RetryingExporter.ts';
import { FakeExporter } from '../helpers/fakeExporter.ts';
import { FakeTimers } from '../helpers/fakeTimers.ts';

/** Real SDK records: `CALL_START:n`, `ERROR:n` or `INFO:n` bodies with the matching key and severity. */
function records(...specs: string[]): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('t');
  for (const spec of specs) {
    const [kind] = spec.split(':');
    if (kind === 'ERROR') logger.emit({ severityNumber: 17, body: spec });
    else if (kind === 'INFO') logger.emit({ severityNumber: 9, body: spec });
    else logger.emit({ severityNumber: 9, eventName: kind, body: spec, attributes: { 'log.key': kind! } });
  }
  return memory.getFinishedLogRecords();
}

function setup(bufferSize = 100) {
  const inner = new FakeExporter();
  const timers = new FakeTimers();
  const exporter = new RetryingExporter(inner, { bufferSize, macroEvents: new Set(MACRO_EVENTS), timers, initialBackoffMs: 1000, maxBackoffMs: 8000, batchSize: 4 });
  const exportNow = (batch: ReadableLogRecord[]) => new Promise<number>((resolve) => exporter.export(batch, (r) => resolve(r.code)));
  return { inner, timers, exporter, exportNow };
}

describe('RetryingExporter', () => {
  test('keeps lifecycle and ERROR records of failed exports and re-sends them when the collector is back', async () => {
    const { inner, timers, exporter, exportNow } = setup();
    inner.mode = 'down';
    expect(await exportNow(records('CALL_START:1', 'INFO:1', 'ERROR:1', 'CALL_END:1', 'INFO:2'))).toBe(ExportResultCode.FAILED);
    expect(exporter.buffered).toBe(3);
    await timers.advance(1000); // still down: the retry fails, backoff doubles
    expect(inner.attempts).toBe(2);
    await timers.advance(1999);
    expect(inner.attempts).toBe(2);
    inner.mode = 'up';
    await timers.advance(1);
    expect(inner.bodies()).toEqual(['CALL_START:1', 'ERROR:1', 'CALL_END:1']);
    expect(exporter.buffered).toBe(0);
    expect(exporter.stats.snapshot()).toMatchObject({ exportFailed: 5, retryBuffered: 3, retryResent: 3, retryOverflowed: 0 });
    expect(timers.count).toBe(0);
  });

  test('while records wait, new batches fail at once and join the buffer; only the probe reaches the exporter', async () => {
    const { inner, timers, exporter, exportNow } = setup();
    inner.mode = 'down';
    await exportNow(records('CALL_START:1'));
    expect(inner.attempts).toBe(1);
    expect(await exportNow(records('CALL_END:1', 'INFO:1'))).toBe(ExportResultCode.FAILED);
    expect(inner.attempts).toBe(1);
    expect(exporter.buffered).toBe(2);
    inner.mode = 'up';
    await timers.advance(1000);
    expect(inner.bodies()).toEqual(['CALL_START:1', 'CALL_END:1']);
    expect(await exportNow(records('INFO:live'))).toBe(ExportResultCode.SUCCESS);
    expect(inner.bodies()).toEqual(['CALL_START:1', 'CALL_END:1', 'INFO:live']);
  });

  test('the buffer is bounded; overflow is counted and reported by a WARN record once the collector is back', async () => {
    const { inner, timers, exporter, exportNow } = setup(5);
    inner.mode = 'down';
    for (let i = 0; i < 4; i++) await exportNow(records(`CALL_START:${i}`, `CALL_END:${i}`));
    expect(exporter.buffered).toBe(5);
    expect(exporter.stats.retryOverflowed).toBe(3);
    inner.mode = 'up';
    await timers.advance(60_000);
    const bodies = inner.bodies();
    expect(bodies.slice(0, 5)).toEqual(['CALL_START:0', 'CALL_END:0', 'CALL_START:1', 'CALL_END:1', 'CALL_START:2']);
    expect(bodies[5]).toBe('[LOG_POLICY] retry buffer overflowed, 3 records lost while the collector was unreachable');
    const report = inner.received[5]!;
    expect(report.severityText).toBe('WARN');
    expect(report.attributes).toMatchObject({ 'log.key': 'LOG_POLICY_RETRY_OVERFLOW', 'log.lost_count': 3 });
    expect(exporter.stats.snapshot()).toMatchObject({ retryResent: 5, retryOverflowed: 3 });
  });

  test('an exporter that throws is a failed export, never an exception for the caller', async () => {
    const { inner, timers, exporter, exportNow } = setup();
    inner.mode = 'throw';
    expect(await exportNow(records('CALL_START:1', 'INFO:1'))).toBe(ExportResultCode.FAILED);
    await timers.advance(1000);
    expect(exporter.buffered).toBe(1);
    inner.mode = 'up';
    await timers.advance(2000);
    expect(inner.bodies()).toEqual(['CALL_START:1']);
  });

  test('shutdown tries the buffer once more, then stops retrying', async () => {
    const { inner, timers, exporter, exportNow } = setup();
    inner.mode = 'down';
    await exportNow(records('CALL_START:1'));
    inner.mode = 'up';
    await exporter.shutdown();
    expect(inner.bodies()).toEqual(['CALL_START:1']);
    expect(timers.count).toBe(0);
  });

  test('bufferSize 0 keeps nothing (counting only)', async () => {
    const { inner, timers, exporter, exportNow } = setup(0);
    inner.mode = 'down';
    await exportNow(records('CALL_START:1'));
    expect(exporter.buffered).toBe(0);
    expect(timers.count).toBe(0);
    expect(exporter.stats.exportFailed).toBe(1);
  });
});
