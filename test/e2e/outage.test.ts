// Faults against the real collector and VictoriaLogs: a collector outage in the middle of 200
// calls, and a backend outage across a collector restart. Every CALL_START, CALL_END and ERROR
// must arrive; the service sees no exception and no unhandled rejection.
import { afterAll, expect, test } from 'vitest';
import { policyPipeline, simulateCall, sleep, watchUnhandledRejections } from './policyPipeline.ts';
import { queryVictoriaLogs, startStack, waitForVictoriaLogs, type Stack } from './stack.ts';

let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
});

const unhandled = watchUnhandledRejections();

const CALLS = 200;
const ERRORS = CALLS / 10;

async function countIn(url: string, query: string): Promise<number> {
  return (await queryVictoriaLogs(url, query, 100_000)).length;
}

test('collector outage: stopped for 30 s in the middle of 200 calls, every CALL_START/CALL_END/ERROR still arrives', async () => {
  stack = await startStack();
  const s = stack;
  const { policy, provider } = policyPipeline(s.otlpHttpUrl);
  let outage: Promise<void> | undefined;
  const started = Date.now();
  for (let i = 0; i < CALLS; i++) {
    if (i === 40) {
      outage = (async () => {
        await s.collector.stop();
        await sleep(30_000);
        await s.collector.start();
      })();
    }
    simulateCall(`outage-${i}`, i);
    await sleep(220);
  }
  await outage;
  const callsDoneAt = Date.now();

  const lifecycle = await waitForVictoriaLogs(s.victoriaLogsUrl, 'event_name:in(CALL_START, CALL_END)', (e) => e.length >= 2 * CALLS, 120_000);
  const errors = await waitForVictoriaLogs(s.victoriaLogsUrl, 'severity_number:17', (e) => e.length >= ERRORS, 30_000);
  const deliveredAt = Date.now();
  const stats = policy.stats();
  await provider.shutdown();

  const ids = (event: string) => new Set(lifecycle.filter((e) => e['event_name'] === event).map((e) => e['call.id']));
  expect(ids('CALL_START').size).toBe(CALLS);
  expect(ids('CALL_END').size).toBe(CALLS);
  expect(errors).toHaveLength(ERRORS);
  expect(unhandled).toEqual([]);
  expect(stats.export!.retryOverflowed).toBe(0);
  expect(stats.export!.retryResent).toBeGreaterThan(0); // the outage really cost exports
  const total = await countIn(s.victoriaLogsUrl, '*');
  console.info(
    'collector outage:',
    JSON.stringify({
      calls: CALLS,
      forwarded: stats.forwarded,
      inVictoriaLogs: total,
      lostNonLifecycle: stats.forwarded - total,
      ...stats.export,
      runSeconds: Math.round((callsDoneAt - started) / 1000),
      secondsFromLastCallToAllDelivered: Math.round((deliveredAt - callsDoneAt) / 1000),
    }),
  );
}, 300_000);

test('backend outage: VictoriaLogs down and the collector restarted meanwhile; the persistent queue delivers everything', async () => {
  stack ??= await startStack();
  const s = stack;
  const before = await countIn(s.victoriaLogsUrl, '*');
  await s.victoriaLogs.stop();
  const { policy, provider } = policyPipeline(s.otlpHttpUrl);
  for (let i = 0; i < 100; i++) simulateCall(`backend-${i}`, i);
  await provider.forceFlush();
  // The collector took every record (into its file_storage queue), so nothing waits in the SDK.
  const stats = policy.stats();
  expect(stats.export!.exportFailed).toBe(0);
  expect(stats.export!.exported).toBe(stats.forwarded);
  await s.collector.stop();
  await s.collector.start();
  await s.victoriaLogs.start();
  expect(stats.forwarded).toBeGreaterThan(300);
  const entries = await waitForVictoriaLogs(s.victoriaLogsUrl, 'call.id:backend*', (e) => e.length >= stats.forwarded, 120_000);
  await provider.shutdown();
  expect(entries.filter((e) => e['event_name'] === 'CALL_START')).toHaveLength(100);
  expect(entries.filter((e) => e['event_name'] === 'CALL_END')).toHaveLength(100);
  expect(entries.filter((e) => e['severity_number'] === '17')).toHaveLength(10);
  expect(entries).toHaveLength(stats.forwarded);
  expect(unhandled).toEqual([]);
  console.info('backend outage:', JSON.stringify({ forwarded: stats.forwarded, delivered: entries.length, before }));
}, 300_000);
