import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink, type SinkRecord } from '../helpers/otlpSink.ts';
import { SUPPORTED_WS_VERSIONS } from '../../src/calls/WsCallsInstrumentation.ts';

/** Under `--import register`, with env only: a `ws` server's connections are calls, however `ws` was loaded. */
describe('automatic call scopes under node --import otel-log-policy/register', { timeout: 30_000 }, () => {
  let sink: OtlpSink;
  beforeAll(async () => {
    sink = await startOtlpSink();
  });
  afterAll(() => sink.close());

  const run = (service: string, how: 'esm' | 'cjs', env: Record<string, string> = {}) =>
    runNode(['--import', REGISTER, fixture('wsCallsApp.ts'), how], {
      // Quiet: stderr then holds only what the app wrote (the start-up line is stderr.test.ts's).
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_SERVICE_NAME: service,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_TRACES_EXPORTER: 'none',
        LOG_POLICY_CAPTURE_CONSOLE: '1',
        LOG_POLICY_QUIET: '1',
        ...env,
      },
    });
  const of = (service: string): SinkRecord[] => sink.records().filter((r) => r.resource['service.name'] === service);

  it.each(['esm', 'cjs'] as const)('ws loaded by %s: CALL_START and CALL_END named by the CallSid, every console line in the call', async (how) => {
    const result = await run(`calls-${how}`, how);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const records = of(`calls-${how}`);
    const sid = `CA-${how}`;
    expect(records.map((r) => r.body).sort()).toEqual(
      [`[CALL_END] call ${sid} ended`, `[CALL_START] call ${sid} started`, 'Client connected', 'Client disconnected', 'Incoming stream has started'].sort(),
    );
    for (const r of records) expect(r.attributes['call.id']).toBe(sid);
    const end = records.find((r) => r.eventName === 'CALL_END')!;
    expect(end.attributes).toMatchObject({ 'ws.close_code': 1000, 'log.produced_count': 5 });
    expect(records.find((r) => r.eventName === 'CALL_START')!.attributes).toMatchObject({ 'call.named_by': 'twilio', 'call.stream_id': 'MZ1' });
  });

  it('an app with its own NodeSDK gets the same from instrumentCalls()', async () => {
    const result = await runNode([fixture('sdkCallsApp.ts')], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: 'calls-sdk', OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const records = of('calls-sdk');
    expect(records).toHaveLength(5);
    for (const r of records) expect(r.attributes['call.id']).toBe('CA-esm');
  });

  it('LOG_POLICY_AUTO_CALLS=0 turns it off; LOG_POLICY_CALL_PATHS that do not match leave connections alone', async () => {
    for (const [service, env] of [
      ['calls-off', { LOG_POLICY_AUTO_CALLS: '0' }],
      ['calls-other-path', { LOG_POLICY_CALL_PATHS: '/other,/twilio/*' }],
    ] as const) {
      const result = await run(service, 'esm', env);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const records = of(service);
      expect(records.map((r) => r.body).sort()).toEqual(['Client connected', 'Client disconnected', 'Incoming stream has started']);
      expect(records.some((r) => r.attributes['call.id'] !== undefined)).toBe(false);
    }
    const glob = await run('calls-glob', 'esm', { LOG_POLICY_CALL_PATHS: '/other, /media-*' });
    expect(glob.code).toBe(0);
    expect(of('calls-glob').filter((r) => r.attributes['call.id'] === 'CA-esm')).toHaveLength(5);
  });

  it.each([
    ['LOG_POLICY_AUTO_CALLS', 'maybe', 'accepted: on, off, 1, 0, true, false'],
    [
      'LOG_POLICY_CALL_PATHS',
      '/media,stream',
      '"stream" is not a path; accepted: a comma list of URL paths starting with /, * matching within a segment and ** across segments (e.g. /media,/streams/*)',
    ],
  ])('a bad %s stops the app at start-up with code 2 and one line naming it', async (variable, value, accepted) => {
    const result = await run('calls-bad', 'esm', { [variable]: value });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`otel-log-policy: ${variable}=${JSON.stringify(value)} is not valid: ${accepted}\n`);
  });
});

it('the installed ws is inside the declared range, so the hook applies to it (fails when ws moves past the range)', () => {
  const require = createRequire(import.meta.url);
  const version = (JSON.parse(readFileSync(require.resolve('ws/package.json'), 'utf8')) as { version: string }).version;
  const semver = require('semver') as { satisfies(v: string, range: string): boolean };
  expect(
    SUPPORTED_WS_VERSIONS.some((range) => semver.satisfies(version, range)),
    `ws ${version} vs ${SUPPORTED_WS_VERSIONS.join(' || ')}`,
  ).toBe(true);
  // The range the package.json lets users' @fastify/websocket pull in (^8) stays inside it too.
  const fastifyWs = JSON.parse(readFileSync(require.resolve('@fastify/websocket/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(fastifyWs.dependencies['ws']).toMatch(/^\^8\./);
});
