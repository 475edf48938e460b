// End to end: the demo with one failing and one escalated call, through the real collector into
// VictoriaLogs. The failing call's dropped records arrive, marked log.recorded=true, with their own
// (earlier) timestamps before its SERVER_ERROR; the other calls stay quiet.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { exportedTotal } from './demoOutput.ts';
import { queryVictoriaLogs, ROOT, startStack, waitForVictoriaLogs, type Stack } from './stack.ts';

const run = promisify(execFile);

/** VictoriaLogs' _time (RFC 3339, trailing zeros of the fraction dropped) → nanoseconds, comparable. */
function nanos(time: string | undefined): bigint {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(time ?? '');
  if (match === null) throw new Error(`not an RFC 3339 UTC time: ${time}`);
  return BigInt(Date.parse(`${match[1]}Z`)) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
});

test("LOG_POLICY_RECORDER + --fail-call: the backend shows the failing call's full story; --verbose-call escalates one call", async () => {
  stack = await startStack();
  const service = `debug-one-call-${randomUUID()}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OTEL_|LOG_POLICY_|DEBUG$|DEBUG_TX$)/.test(name)));
  const { stdout } = await run('npm', ['run', '--silent', 'demo', '--', '--calls', '3', '--duration', '20', '--speed', 'max', '--fail-call', '2', '--verbose-call', '1'], {
    cwd: ROOT,
    env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl, OTEL_SERVICE_NAME: service, LOG_POLICY_RECORDER: '200', LOG_POLICY_RECORDER_FLUSH_ON: 'SERVER_ERROR' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const url = stack.victoriaLogsUrl;
  const inService = `service.name:"${service}"`;
  // The collector's batches reach the backend in any order: wait until every record the demo exported is searchable.
  const exported = exportedTotal(stdout);
  await waitForVictoriaLogs(url, inService, (es) => es.length === exported, 30_000, 100_000);

  const failing = await queryVictoriaLogs(url, `${inService} call.id:"call-2" | sort by (_time)`, 5_000);
  const recorded = failing.filter((e) => e['log.recorded'] === 'true');
  const error = failing.find((e) => e.event_name === 'SERVER_ERROR' || e._msg?.startsWith('[SERVER_ERROR]'));
  expect(recorded.length).toBeGreaterThan(50);
  expect(error).toBeDefined();
  // Original timestamps: every recovered record was logged before the error, and they span time.
  expect(recorded.every((e) => nanos(e._time) <= nanos(error!._time))).toBe(true);
  expect(new Set(recorded.map((e) => e._time)).size).toBeGreaterThan(1);
  expect(recorded.every((e) => e.severity_text === 'DEBUG' || e.severity_text === 'INFO')).toBe(true);

  for (const quiet of ['call-1', 'call-3']) {
    expect(await queryVictoriaLogs(url, `${inService} call.id:"${quiet}" log.recorded:true`)).toHaveLength(0);
  }
  const escalated = await queryVictoriaLogs(url, `${inService} call.id:"call-1" severity_text:DEBUG`);
  expect(escalated.length).toBeGreaterThan(0);
  expect(await queryVictoriaLogs(url, `${inService} call.id:"call-3" severity_text:DEBUG`)).toHaveLength(0);
  const [start] = await queryVictoriaLogs(url, `${inService} call.id:"call-1" event_name:CALL_START`);
  expect(start?.['log.policy.escalated']).toBe('attribute');
});
