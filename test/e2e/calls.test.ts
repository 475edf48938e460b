// Issue 3's end-to-end check: concurrent simulated calls through the package (the demo: NodeSDK with
// logPolicyProcessors(), tracing on, OTLP/HTTP exporter) into the real collector with the real
// collector-config.yaml, then the lifecycle file and VictoriaLogs (over its HTTP API) are checked.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runNode } from '../helpers/child.ts';
import { exportedTotal } from './demoOutput.ts';
import { LIFECYCLE_EVENTS, readLifecycleFile, startStack, waitForVictoriaLogs, type LifecycleRecord, type Stack, type VlEntry } from './stack.ts';

const DEMO = fileURLToPath(new URL('../../demo/main.ts', import.meta.url));
const CALLS = 4;
const DURATION_S = 60;
const NOISY = ['openai', 'server.media_ws_ai', 'server.services.audio_dsp'];
const RATE_LIMITS_S: Record<string, number> = { AUDIO_DELTA: 10, RMS: 10, TX_SLOW: 5, AUDIO_DRAIN: 5 };

let stack: Stack | undefined;
const runs: Record<'production' | 'development', { service: string; entries: VlEntry[]; lifecycle: LifecycleRecord[] }> = {} as never;

async function runDemo(mode: 'production' | 'development'): Promise<void> {
  const service = `e2e-demo-${mode}`;
  const result = await runNode([DEMO, '--calls', String(CALLS), '--duration', String(DURATION_S), '--speed', 'max'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: stack!.otlpHttpUrl, OTEL_SERVICE_NAME: service, LOG_POLICY_MODE: mode },
    timeoutMs: 120_000,
  });
  expect(result.stderr.split('\n').filter((l) => /error/i.test(l) && !l.startsWith('demo:'))).toEqual([]);
  expect(result.code, result.stderr).toBe(0);
  // Every record the demo exported, once all are searchable (the collector's batches arrive in any order).
  const all = `service.name:=${JSON.stringify(service)}`;
  const exported = exportedTotal(result.stdout);
  const entries = await waitForVictoriaLogs(stack!.victoriaLogsUrl, all, (es) => es.length === exported, 30_000, 100_000);
  runs[mode] = { service, entries, lifecycle: [] };
}

beforeAll(async () => {
  stack = await startStack();
  await runDemo('production');
  await runDemo('development');
  // The collector writes the file as batches arrive; stop it so every line is on disk.
  const file = stack.lifecycleFile;
  await stack.stop({ keepDir: true });
  const lifecycle = readLifecycleFile(file);
  for (const mode of ['production', 'development'] as const) runs[mode].lifecycle = lifecycle.filter((r) => r.resource['service.name'] === runs[mode].service);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

const callIds = Array.from({ length: CALLS }, (_, i) => `call-${i + 1}`);

describe.each(['production', 'development'] as const)("%s: every call's lifecycle", (mode) => {
  test.each(callIds)('%s: CALL_START and CALL_END in the lifecycle file and the backend, with the call span, service and summary', (callId) => {
    const { entries, lifecycle, service } = runs[mode];
    const inBackend = entries.filter((e) => e['call.id'] === callId);
    const start = inBackend.filter((e) => e['event_name'] === 'CALL_START');
    const end = inBackend.filter((e) => e['event_name'] === 'CALL_END');
    expect(start).toHaveLength(1);
    expect(end).toHaveLength(1);
    // The call's span: both events and every record of the call share its trace and span id.
    expect(start[0]!['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(start[0]!['span_id']).toMatch(/^[0-9a-f]{16}$/);
    for (const e of inBackend) expect([e['trace_id'], e['span_id']]).toEqual([start[0]!['trace_id'], start[0]!['span_id']]);
    // Other calls run in other spans.
    expect(entries.filter((e) => e['trace_id'] === start[0]!['trace_id'] && e['call.id'] !== callId)).toEqual([]);
    expect(end[0]!['service.name']).toBe(service);
    expect(Number(end[0]!['call.duration_ms'])).toBe(DURATION_S * 1000);
    expect(Number(end[0]!['log.dropped_count'])).toBeGreaterThan(0);
    expect(Object.keys(end[0]!).some((k) => k.startsWith('log.dropped_by_key'))).toBe(true);

    const inFile = lifecycle.filter((r) => r.attributes['call.id'] === callId);
    const fileStart = inFile.filter((r) => r.eventName === 'CALL_START');
    const fileEnd = inFile.filter((r) => r.eventName === 'CALL_END');
    expect(fileStart).toHaveLength(1);
    expect(fileEnd).toHaveLength(1);
    expect(fileStart[0]!.traceId).toBe(start[0]!['trace_id']);
    expect(fileEnd[0]!.spanId).toBe(start[0]!['span_id']);
    expect(fileEnd[0]!.resource['service.name']).toBe(service);
    expect(fileEnd[0]!.attributes).toMatchObject({ 'call.duration_ms': DURATION_S * 1000 });
    expect(Number(fileEnd[0]!.attributes['log.dropped_count'])).toBe(Number(end[0]!['log.dropped_count']));
    // The file holds lifecycle events only.
    expect(inFile.every((r) => (LIFECYCLE_EVENTS as readonly string[]).includes(r.eventName ?? String(r.attributes['log.key'])))).toBe(true);
  });
});

describe('production mode in the backend', () => {
  test('nothing below the thresholds arrived: no DEBUG at all, noisy modules only WARN+ or macro events', () => {
    const { entries } = runs.production;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => Number(e['severity_number']) < 9)).toEqual([]);
    const noisyChatter = entries.filter(
      (e) =>
        NOISY.some((n) => e['scope.name'] === n || e['scope.name']?.startsWith(`${n}.`)) &&
        Number(e['severity_number']) < 13 &&
        !(LIFECYCLE_EVENTS as readonly string[]).includes(e['event_name'] ?? ''),
    );
    expect(noisyChatter).toEqual([]);
  });

  test.each(callIds)('%s: rate-limited keys at most as often as their intervals allow; the count within the budget', (callId) => {
    const ofCall = runs.production.entries.filter((e) => e['call.id'] === callId);
    for (const [key, seconds] of Object.entries(RATE_LIMITS_S)) {
      const n = ofCall.filter((e) => e['_msg']?.startsWith(`[${key}]`)).length;
      expect(n, key).toBeLessThanOrEqual(Math.floor(DURATION_S / seconds) + 1);
    }
    expect(ofCall.length).toBeGreaterThanOrEqual(5);
    expect(ofCall.length).toBeLessThanOrEqual(20);
    const budgeted = ofCall.filter((e) => Number(e['severity_number']) < 13 && !(LIFECYCLE_EVENTS as readonly string[]).includes(e['event_name'] ?? ''));
    expect(budgeted.length).toBeLessThanOrEqual(20);
  });
});

test('development mode: the debug records did arrive, many more per call', () => {
  const dev = runs.development.entries;
  const debug = dev.filter((e) => Number(e['severity_number']) >= 5 && Number(e['severity_number']) < 9);
  expect(debug.length).toBeGreaterThan(CALLS * 10);
  for (const callId of callIds)
    expect(dev.filter((e) => e['call.id'] === callId).length).toBeGreaterThan(runs.production.entries.filter((e) => e['call.id'] === callId).length * 3);
});
