import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture, REGISTER, runNode, startNode, type ChildResult } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink, type SinkRecord } from '../helpers/otlpSink.ts';

/** The zero-code way in: `node --import otel-log-policy/register app.js`, in a real child process. */
// Child processes on a shared machine: a generous per-test guard (nothing here asserts timings).
describe('node --import otel-log-policy/register', { timeout: 30_000 }, () => {
  let sink: OtlpSink;
  beforeAll(async () => {
    sink = await startOtlpSink();
  });
  afterAll(() => sink.close());

  /** Runs registerApp.ts under the register entry, as service `service`, against the sink. */
  function run(service: string, scenario: 'serve' | 'end', env: Record<string, string> = {}, signal?: NodeJS.Signals): Promise<ChildResult> {
    return runNode(['--import', REGISTER, fixture('registerApp.ts'), scenario], {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_SERVICE_NAME: service,
        OTEL_METRICS_EXPORTER: 'none',
        // An hour: whatever arrives was flushed at exit, not by the batch timer.
        OTEL_BLRP_SCHEDULE_DELAY: '3600000',
        ...env,
      },
      ...(signal === undefined ? {} : { signalWhenReady: signal }),
    });
  }
  const of = (service: string) => (records: SinkRecord[]) => records.filter((r) => r.resource['service.name'] === service);
  const bodies = (records: SinkRecord[]) => records.map((r) => r.body);

  it('on SIGTERM flushes the queued records, applies the policy, captures the console when asked, then exits 143', async () => {
    const result = await run('register-sigterm', 'serve', { LOG_POLICY_CAPTURE_CONSOLE: '1' }, 'SIGTERM');
    expect(result).toMatchObject({ code: 143, signal: null, stdout: 'ready\n' });
    // Only register's start-up line (test/sdk/stderr.test.ts checks its wording).
    expect(result.stderr).toMatch(/^otel-log-policy: production mode [^\n]*; console captured, [^\n]*\n$/);
    const records = of('register-sigterm')(sink.records());
    expect(bodies(records).sort()).toEqual([
      '[CALL_END] call call-register-1 ended',
      '[CALL_START] call call-register-1 started',
      '[TX_SLOW] from console.log inside the call',
      '[TX_SLOW] queue=3 from the facade',
      'inside the call',
    ]);
    const fromConsole = records.find((r) => r.scope === 'console')!;
    expect(fromConsole).toMatchObject({ severityText: 'INFO', attributes: { 'call.id': 'call-register-1' } });
    // The call span: register set up tracing, so the call's records share one trace.
    const traces = new Set(records.filter((r) => r.attributes['call.id'] === 'call-register-1').map((r) => r.traceId));
    expect(traces.size).toBe(1);
    expect([...traces][0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('on SIGINT exits 130 after flushing', async () => {
    const result = await run('register-sigint', 'serve', {}, 'SIGINT');
    expect(result.code).toBe(130);
    expect(bodies(of('register-sigint')(sink.records()))).toContain('[TX_SLOW] queue=3 from the facade');
  });

  it('exits at once on a second signal while the first one is still flushing', async () => {
    // A collector that takes the export and never answers: the first SIGTERM's flush hangs on it.
    const stuck: IncomingMessage[] = [];
    const collector = createServer((req) => void stuck.push(req));
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      const { child, result } = startNode(['--import', REGISTER, fixture('registerApp.ts'), 'serve'], {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_TIMEOUT: '60000' },
        signalWhenReady: 'SIGTERM',
        // Without the second signal the flush would wait for its 10 s cap; this guard kills first.
        timeoutMs: 8_000,
      });
      collector.on('request', () => child.kill('SIGTERM'));
      const done = await result;
      expect(done).toMatchObject({ code: 143, signal: null });
      expect(stuck.length).toBeGreaterThan(0);
    } finally {
      collector.closeAllConnections();
      collector.close();
    }
  });

  it('flushes when the app ends on its own; the console is left alone unless asked', async () => {
    const result = await run('register-end', 'end');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('[TX_SLOW] from console.log inside the call\na console debug line production drops\nready\n');
    const records = of('register-end')(sink.records());
    expect(bodies(records)).toContain('inside the call');
    expect(records.some((r) => r.scope === 'console')).toBe(false);
  });

  it('lets development mode through: the debug lines arrive', async () => {
    await run('register-dev', 'end', { LOG_POLICY_MODE: 'development', LOG_POLICY_CAPTURE_CONSOLE: '1' });
    const got = bodies(of('register-dev')(sink.records()));
    expect(got).toContain('a facade debug line production drops');
    expect(got).toContain('a console debug line production drops');
  });

  it.each([
    ['LOG_POLICY_MODE', 'bogus', 'accepted: production, development'],
    ['LOG_POLICY_CAPTURE_CONSOLE', 'yes', 'accepted: 1, true, 0, false'],
    // The SDK would export empty batches in a loop forever (one core busy, the app never exits).
    ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', '0', 'accepted: a whole number of records, at least 1 and at most OTEL_BLRP_MAX_QUEUE_SIZE (the SDK default is 512)'],
  ])('a bad %s stops the app at start-up with code 2 and one clear line', async (variable, value, accepted) => {
    const result = await run('register-bad', 'end', { [variable]: value });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`otel-log-policy: ${variable}=${JSON.stringify(value)} is not valid: ${accepted}\n`);
  });

  it('starts no second SDK when the app registered one first, and says so', async () => {
    const result = await runNode(['--import', fixture('ownSdk.ts'), '--import', REGISTER, fixture('registerApp.ts'), 'end'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none', OTEL_BLRP_SCHEDULE_DELAY: '3600000' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('a LoggerProvider is already registered, so register starts none');
    const got = bodies(of('own-sdk')(sink.records()));
    expect(got.filter((b) => b === 'inside the call')).toHaveLength(1);
  });
});
