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

  test('an exporter that throws on a batch refuses it: the batch is split, records it still throws on alone are dropped and counted, never re-sent', async () => {
    const { inner, timers, exporter, exportNow } = setup();
    inner.mode = 'throw';
    expect(await exportNow(records('CALL_START:1', 'INFO:1'))).toBe(ExportResultCode.FAILED);
    expect(inner.attempts).toBe(3); // the pair, then each alone
    expect(exporter.buffered).toBe(0);
    expect(exporter.stats.snapshot()).toMatchObject({ refused: 2, refusedSplits: 1, retryBuffered: 0 });
    inner.mode = 'up';
    await timers.advance(60_000);
    expect(inner.attempts).toBe(3);
    expect(await exportNow(records('CALL_END:1'))).toBe(ExportResultCode.SUCCESS);
    expect(inner.bodies()).toEqual(['CALL_END:1']);
  });

  test('a refused batch is split in halves, each sent once; only the record refused alone is dropped', async () => {
    const { inner, exporter, exportNow } = setup();
    inner.refuse = (batch) => batch.some((r) => String(r.body) === 'ERROR:poison');
    expect(await exportNow(records('CALL_START:1', 'ERROR:1', 'ERROR:poison', 'INFO:1', 'CALL_END:1'))).toBe(ExportResultCode.FAILED);
    expect(inner.bodies()).toEqual(['CALL_START:1', 'ERROR:1', 'INFO:1', 'CALL_END:1']);
    expect(exporter.buffered).toBe(0);
    expect(exporter.stats.snapshot()).toMatchObject({ refused: 1, exported: 4, exportFailed: 0 });
    // 5 refused → 3 refused + 2; 3 → 2 + 1 refused alone: five requests, none of them repeated.
    expect(inner.attempted.map((batch) => batch.length)).toEqual([5, 3, 2, 1, 2]);
  });

  test('lifecycle and ERROR records carry a log.record.uid, the same on the first send and on the re-send; INFO records do not', async () => {
    const { inner, timers, exportNow } = setup();
    inner.mode = 'down';
    await exportNow(records('CALL_START:1', 'INFO:1', 'ERROR:1'));
    const first = inner.attempted.flat();
    inner.mode = 'up';
    await timers.advance(1000);
    const uid = (body: string, list: ReadableLogRecord[]) => list.find((r) => r.body === body)?.attributes['log.record.uid'];
    expect(uid('CALL_START:1', first)).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    expect(uid('ERROR:1', first)).not.toBe(uid('CALL_START:1', first));
    expect(uid('INFO:1', first)).toBeUndefined();
    expect(uid('CALL_START:1', inner.received)).toBe(uid('CALL_START:1', first));
    expect(uid('ERROR:1', inner.received)).toBe(uid('ERROR:1', first));
  });

  test('each re-send round starts with one record: a hung collector that times out the probe gets one record, not a batch', async () => {
    const { inner, timers, exportNow } = setup();
    inner.mode = 'down';
    await exportNow(records('CALL_START:1', 'CALL_START:2', 'CALL_START:3', 'CALL_START:4', 'CALL_START:5', 'CALL_START:6'));
    await timers.advance(1000);
    inner.mode = 'up';
    await timers.advance(2000);
    expect(inner.attempted.map((batch) => batch.length)).toEqual([6, 1, 1, 4, 1]);
    expect(inner.bodies()).toEqual(['CALL_START:1', 'CALL_START:2', 'CALL_START:3', 'CALL_START:4', 'CALL_START:5', 'CALL_START:6']);
  });

  test('what the buffer keeps is cut to the caps', async () => {
    const inner = new FakeExporter();
    const timers = new FakeTimers();
    const exporter = new RetryingExporter(inner, { bufferSize: 10, macroEvents: new Set(MACRO_EVENTS), timers, keptCaps: { maxBody: 100, maxAttribute: 10, maxEventName: 8 } });
    inner.mode = 'down';
    const [record] = records('ERROR:x');
    const big: ReadableLogRecord = {
      hrTime: record!.hrTime,
      hrTimeObserved: record!.hrTimeObserved,
      severityNumber: 17,
      resource: record!.resource,
      instrumentationScope: record!.instrumentationScope,
      droppedAttributesCount: 0,
      body: 'b'.repeat(1_000_000),
      eventName: 'E'.repeat(1000),
      attributes: { 'call.id': 'c'.repeat(5000), n: 3 },
    };
    await new Promise((resolve) => exporter.export([big], resolve));
    inner.mode = 'up';
    await timers.advance(1000);
    const kept = inner.received[0]!;
    expect(kept.body).toBe('b'.repeat(100));
    expect(kept.eventName).toBe('E'.repeat(8));
    expect(kept.attributes).toMatchObject({ 'call.id': 'c'.repeat(10), n: 3 });
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
