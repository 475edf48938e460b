// Shutdown with records queued, against the real collector: the register entry's SIGTERM handler
// (flushOnExit) exports everything before the process exits, within EXIT_FLUSH_TIMEOUT_MS (10 s);
// a second signal while the flush waits exits at once.
import { afterAll, expect, test } from 'vitest';
import { EXIT_FLUSH_TIMEOUT_MS } from '../../src/sdk/flushOnExit.ts';
import { keptRecords } from '../fixtures/simulatedCall.ts';
import { fixture, REGISTER, startNode } from '../helpers/child.ts';
import { startStack, waitForVictoriaLogs, type Stack } from './stack.ts';

let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
});

const CALLS = 60;
const env = (otlp: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_TRACES_EXPORTER: 'none',
  // An hour: whatever arrives was flushed at exit, not by the batch timer.
  OTEL_BLRP_SCHEDULE_DELAY: '3600000',
  OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '2048',
});

test('SIGTERM with records queued: every record reaches the collector before exit, within the bound', async () => {
  stack = await startStack();
  const started = Date.now();
  let signalledAt = 0;
  const { child, result } = startNode(['--import', REGISTER, fixture('queuedCallsApp.ts'), String(CALLS)], {
    env: env(stack.otlpHttpUrl),
    timeoutMs: 60_000,
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready') && signalledAt === 0) {
      signalledAt = Date.now();
      child.kill('SIGTERM');
    }
  });
  const done = await result;
  const exitMs = Date.now() - signalledAt;
  expect(done).toMatchObject({ code: 143, signal: null });
  expect(exitMs).toBeLessThan(EXIT_FLUSH_TIMEOUT_MS + 5_000); // a hang guard; the figure is printed
  // Everything was in the collector when the process exited: it only has to reach VictoriaLogs now.
  const entries = await waitForVictoriaLogs(stack.victoriaLogsUrl, 'call.id:shutdown*', (e) => e.length >= keptRecords(CALLS), 30_000);
  expect(entries).toHaveLength(keptRecords(CALLS));
  expect(entries.filter((e) => e['event_name'] === 'CALL_END')).toHaveLength(CALLS);
  console.info('shutdown:', JSON.stringify({ queuedRecords: keptRecords(CALLS), exitMsAfterSigterm: exitMs, totalMs: Date.now() - started }));
}, 120_000);

test('a second SIGTERM exits at once while the first one waits on an unreachable collector', async () => {
  stack ??= await startStack();
  await stack.collector.stop();
  try {
    const { child, result } = startNode(['--import', REGISTER, fixture('queuedCallsApp.ts'), String(CALLS)], {
      env: { ...env(stack.otlpHttpUrl), OTEL_EXPORTER_OTLP_TIMEOUT: '60000' },
      signalWhenReady: 'SIGTERM',
      // Below the 10 s flush bound: only the second signal can end the process before this guard kills it.
      timeoutMs: 8_000,
    });
    // A second after the first signal (sent at `ready`), not after the spawn: on a loaded machine the
    // register entry may not have installed its handlers a second after the spawn.
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) setTimeout(() => child.kill('SIGTERM'), 1_000);
    });
    expect(await result).toMatchObject({ code: 143, signal: null });
  } finally {
    await stack.collector.start();
  }
}, 60_000);
