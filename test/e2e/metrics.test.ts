// The other two signals through the real collector: the policy's metrics reach VictoriaMetrics
// (from the demo's NodeSDK and from the register entry), and the register entry's spans and metrics
// are accepted by the collector (no 404), which counts them in its own metrics.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink } from '../helpers/otlpSink.ts';
import { droppedByReason, exportedTotal } from './demoOutput.ts';
import { queryVictoriaMetrics, startStack, waitForVictoriaMetrics, type Stack, type VmSample } from './stack.ts';

const DEMO = fileURLToPath(new URL('../../demo/main.ts', import.meta.url));

let stack: Stack | undefined;
let forwarding: Stack | undefined;
let sink: OtlpSink | undefined;
afterAll(async () => {
  await stack?.stop();
  await forwarding?.stop();
  await sink?.close();
});

const byOutcomeAndReason = (samples: VmSample[]): Record<string, number> => Object.fromEntries(samples.map((s) => [`${s.labels['outcome']}/${s.labels['reason'] ?? ''}`, s.value]));

test("the demo's policy metrics reach VictoriaMetrics: records passed, and dropped by reason, as the demo counted them", async () => {
  stack = await startStack();
  const service = `metrics-${randomUUID()}`;
  const demo = await runNode([DEMO, '--calls', '3', '--duration', '30', '--speed', 'max'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl, OTEL_SERVICE_NAME: service, OTEL_LOG_LEVEL: 'error' },
    timeoutMs: 60_000,
  });
  expect(demo.code, demo.stderr).toBe(0);
  // OTEL_LOG_LEVEL=error prints the SDK's export errors (a 404 for a signal the collector has no pipeline for).
  expect(demo.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('demo:'))).toEqual([]);
  const dropped = Object.entries(droppedByReason(demo.stdout)).filter(([, n]) => n > 0);
  expect(dropped.length).toBeGreaterThan(1);

  const expected: Record<string, number> = { 'passed/': exportedTotal(demo.stdout) };
  for (const [reason, n] of dropped) expected[`dropped/${reason}`] = n;
  const query = `sum by (outcome, reason) (log_policy.records{service.name="${service}"})`;
  const samples = await waitForVictoriaMetrics(stack.victoriaMetricsUrl, query, (s) => s.length >= Object.keys(expected).length);
  expect(byOutcomeAndReason(samples)).toEqual(expected);

  // The gauges arrived too: every call ended, none was escalated.
  const open = await queryVictoriaMetrics(stack.victoriaMetricsUrl, `log_policy.calls.open{service.name="${service}"}`);
  const escalated = await queryVictoriaMetrics(stack.victoriaMetricsUrl, `log_policy.calls.escalated{service.name="${service}"}`);
  expect(open.map((s) => s.value)).toEqual([0]);
  expect(escalated.map((s) => s.value)).toEqual([0]);
  // Stored as sent: the dotted name and labels, the scope, the resource.
  expect(open[0]!.labels).toMatchObject({ __name__: 'log_policy.calls.open', 'scope.name': 'otel-log-policy', 'service.name': service });
}, 120_000);

test("register's spans and metrics are accepted by the collector: no export error, counted in its own metrics", async () => {
  stack ??= await startStack();
  const service = `register-${randomUUID()}`;
  const accepted = async (signal: 'spans' | 'metric_points') => (await queryVictoriaMetrics(stack!.victoriaMetricsUrl, `sum(otelcol_receiver_accepted_${signal})`))[0]?.value ?? 0;
  const spansBefore = await accepted('spans');
  // NodeSDK's defaults: OTLP/HTTP for traces and metrics too, to the same endpoint as the logs.
  const app = await runNode(['--import', REGISTER, fixture('registerApp.ts'), 'end'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl, OTEL_SERVICE_NAME: service, OTEL_LOG_LEVEL: 'error' },
    timeoutMs: 30_000,
  });
  expect(app.code, app.stderr).toBe(0);
  expect(app.stderr).not.toMatch(/404|Not Found|error/i);

  const records = await waitForVictoriaMetrics(stack.victoriaMetricsUrl, `sum by (outcome) (log_policy.records{service.name="${service}"})`, (s) => s.length > 0);
  expect(records.find((s) => s.labels['outcome'] === 'passed')?.value).toBeGreaterThan(0);
  // The call's span: the collector received it (and dropped it, having no trace backend).
  await waitForVictoriaMetrics(stack.victoriaMetricsUrl, 'sum(otelcol_receiver_accepted_spans)', (s) => (s[0]?.value ?? 0) > spansBefore);
  expect(await accepted('metric_points')).toBeGreaterThan(0);
  const refused = await queryVictoriaMetrics(stack.victoriaMetricsUrl, 'sum(otelcol_receiver_refused_spans) + sum(otelcol_receiver_refused_metric_points)');
  expect(refused.map((s) => s.value)).toEqual([0]);
}, 120_000);

test('with OTELCOL_TRACES_EXPORTER=otlp_http/traces the collector forwards the spans to OTELCOL_TRACES_ENDPOINT', async () => {
  sink = await startOtlpSink();
  forwarding = await startStack({ collectorEnv: { OTELCOL_TRACES_EXPORTER: 'otlp_http/traces', OTELCOL_TRACES_ENDPOINT: sink.url } });
  const app = await runNode(['--import', REGISTER, fixture('registerApp.ts'), 'end'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: forwarding.otlpHttpUrl, OTEL_SERVICE_NAME: `forward-${randomUUID()}`, OTEL_LOG_LEVEL: 'error' },
    timeoutMs: 30_000,
  });
  expect(app.code, app.stderr).toBe(0);
  expect(app.stderr).not.toMatch(/error/i);
  await waitForVictoriaMetrics(forwarding.victoriaMetricsUrl, 'sum(otelcol_exporter_sent_spans{exporter="otlp_http/traces"})', (s) => (s[0]?.value ?? 0) > 0);
  // The user's endpoint got them, and nothing else: logs and metrics stay in this stack.
  expect(sink.requests().map((r) => r.path)).toContain('/v1/traces');
  expect(sink.requests().filter((r) => r.path !== '/v1/traces')).toEqual([]);
}, 120_000);
