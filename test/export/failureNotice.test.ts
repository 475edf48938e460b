import { ExportResultCode } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, test } from 'vitest';
import { MACRO_EVENTS } from '../../src/config/defaults.ts';
import { FAILURE_NOTICE_INTERVAL_MS, withFailureNotice } from '../../src/pipeline/export/failureNotice.ts';
import { RetryingExporter } from '../../src/pipeline/export/RetryingExporter.ts';
import { FakeExporter } from '../helpers/fakeExporter.ts';
import { FakeTimers } from '../helpers/fakeTimers.ts';

/** One real SDK record of each severity given: 9 (INFO, lost when an export fails) or 17 (ERROR, kept for re-sending). */
function records(...severities: number[]): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  for (const severityNumber of severities) provider.getLogger('t').emit({ severityNumber, body: `s${severityNumber}` });
  return memory.getFinishedLogRecords();
}

/** The retry exporter over a switchable fake, seen through the notice, on one fake clock. */
function setup() {
  const inner = new FakeExporter();
  const timers = new FakeTimers();
  const retrying = new RetryingExporter(inner, { bufferSize: 100, macroEvents: new Set(MACRO_EVENTS), timers, initialBackoffMs: 1_000, maxBackoffMs: 8_000 });
  const lines: string[] = [];
  const exporter = withFailureNotice(retrying, { write: (line) => void lines.push(line), now: () => timers.now });
  const exportNow = (batch: ReadableLogRecord[]) => new Promise<number>((resolve) => exporter.export(batch, (r) => resolve(r.code)));
  return { inner, timers, exporter, lines, exportNow };
}

describe('withFailureNotice: export failures on stderr', () => {
  test('one warning at the first failure, with the cause and the counts; results pass through unchanged', async () => {
    const { inner, lines, exportNow } = setup();
    expect(await exportNow(records(9))).toBe(ExportResultCode.SUCCESS);
    expect(lines).toEqual([]);
    inner.mode = 'down';
    expect(await exportNow(records(9, 9, 17))).toBe(ExportResultCode.FAILED);
    expect(lines).toEqual([
      'otel-log-policy: exporting logs failed (ECONNREFUSED): 2 records lost so far, 1 lifecycle/ERROR records buffered for re-sending; this warning repeats at most once a minute while exports fail (LOG_POLICY_QUIET=1 silences it)\n',
    ]);
  });

  test('then at most once a minute while failures go on, each time with the counts so far', async () => {
    const { inner, timers, lines, exportNow } = setup();
    inner.mode = 'down';
    await exportNow(records(9));
    expect(lines).toHaveLength(1);
    // Failures every 10 s for five minutes: a warning at 0, 60, 120, 180, 240 and 300 s, none between.
    const noticedAt: number[] = [0];
    for (let t = 10_000; t <= 300_000; t += 10_000) {
      await timers.advance(10_000);
      const before = lines.length;
      await exportNow(records(9, 17));
      if (lines.length > before) noticedAt.push(timers.now);
    }
    expect(noticedAt).toEqual([0, 60_000, 120_000, 180_000, 240_000, 300_000]);
    expect(lines).toHaveLength(6);
    // At 60 s: the first INFO and 6 more INFOs lost; the 6 ERRORs wait in the buffer.
    expect(lines[1]).toContain(': 7 records lost so far, 6 lifecycle/ERROR records buffered');
    expect(lines[5]).toContain(': 31 records lost so far, 30 lifecycle/ERROR records buffered');
  });

  test('59.999 s after a warning is still too soon; a new outage after a minute of success warns at once', async () => {
    const { inner, timers, lines, exportNow } = setup();
    inner.mode = 'down';
    await exportNow(records(9));
    await timers.advance(FAILURE_NOTICE_INTERVAL_MS - 1);
    await exportNow(records(9));
    expect(lines).toHaveLength(1);
    inner.mode = 'up';
    await timers.advance(1);
    expect(await exportNow(records(9))).toBe(ExportResultCode.SUCCESS);
    expect(lines).toHaveLength(1);
    await timers.advance(5 * 60_000);
    inner.mode = 'down';
    await exportNow(records(9));
    expect(lines).toHaveLength(2);
  });

  test('a writer that throws (a closed stderr) does not break the export', async () => {
    const inner = new FakeExporter();
    inner.mode = 'down';
    const retrying = new RetryingExporter(inner, { bufferSize: 0, macroEvents: new Set(MACRO_EVENTS), timers: new FakeTimers() });
    const exporter = withFailureNotice(retrying, {
      write: () => {
        throw new Error('EPIPE');
      },
    });
    const code = await new Promise<number>((resolve) => exporter.export(records(17), (r) => resolve(r.code)));
    expect(code).toBe(ExportResultCode.FAILED);
  });
});
