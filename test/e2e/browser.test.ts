// What a person sees, in a real headless Chromium (Debian's, driven by playwright-core): one call's
// lifecycle in VictoriaLogs' web UI, and the policy's passed and dropped records graphed in
// VictoriaMetrics' UI, both with the queries docs/see-your-calls.md gives. The screenshots are
// saved to test-results/vmui-call-lifecycle.png and test-results/vmui-policy-records.png.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SeverityNumber } from '@opentelemetry/api';
import type { Browser } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runNode } from '../helpers/child.ts';
import { launchChromium } from './chromium.ts';
import { droppedByReason, exportedTotal } from './demoOutput.ts';
import { withSdk } from './sdk.ts';
import { callLifecycleQuery, policyRecordsQuery, ROOT, startStack, vmuiGraphUrl, vmuiUrl, waitForVictoriaLogs, waitForVictoriaMetrics, type Stack } from './stack.ts';

const DEMO = fileURLToPath(new URL('../../demo/main.ts', import.meta.url));
const SCREENSHOTS = join(ROOT, 'test-results');

// Started inside the test (not in beforeAll) so that a missing binary or a
// failed start is reported as this test's failure, never as a skipped test.
let stack: Stack | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test("a call's lifecycle is visible in VictoriaLogs' UI", async () => {
  stack = await startStack();
  const { otlpHttpUrl, victoriaLogsUrl } = stack;
  // One call through the package, as the compose stack's demo sends it: NodeSDK, the policy, OTLP/HTTP.
  const service = `ui-${randomUUID()}`;
  const demo = await runNode([DEMO, '--calls', '1', '--duration', '20', '--speed', 'max'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl, OTEL_SERVICE_NAME: service },
    timeoutMs: 60_000,
  });
  expect(demo.code, demo.stderr).toBe(0);
  const callId = 'call-1';
  // The records are searchable before the page is opened.
  const exported = exportedTotal(demo.stdout);
  const entries = await waitForVictoriaLogs(victoriaLogsUrl, `service.name:=${JSON.stringify(service)}`, (es) => es.length === exported);
  const traceId = entries.find((e) => e['event_name'] === 'CALL_END')!['trace_id']!;
  // Another call whose id starts with this one's: the query matches the id exactly, so it stays out.
  await withSdk(otlpHttpUrl, service, ({ logger }) => {
    logger.emit({ eventName: 'CALL_START', severityNumber: SeverityNumber.INFO, body: 'retried call', attributes: { 'log.key': 'CALL_START', 'call.id': `${callId}-retry` } });
  });
  await waitForVictoriaLogs(victoriaLogsUrl, `call.id:="${callId}-retry"`, (es) => es.length === 1);

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = vmuiUrl(victoriaLogsUrl, callLifecycleQuery(callId), { view: 'json', range: '1h' });
  console.log(`vmui URL: ${url}`);
  await page.goto(url);

  // The JSON view lists the selected records, oldest first.
  await expect.poll(async () => (await page.locator('body').innerText()).includes('"CALL_END"'), { timeout: 30_000 }).toBe(true);
  const body = await page.locator('body').innerText();
  const text = body.slice(body.indexOf('"_time"'));
  expect(body).toContain('Last 1 hour');
  expect(text).toContain('"event_name": "CALL_START"');
  expect(text).toContain('"event_name": "REALTIME"');
  expect(text).toContain('"event_name": "CALL_END"');
  expect(text).toContain(`"call.id": "${callId}"`);
  expect(text).not.toContain(`${callId}-retry`);
  expect(text).toContain(`"trace_id": "${traceId}"`);
  expect(text).toContain(`"service.name": "${service}"`);
  // Lifecycle events only: the call's other records are not in this view.
  expect(text).not.toContain('[TX_SLOW]');
  // CALL_START and CALL_END are a whole call apart; records emitted in the same millisecond (the demo
  // runs its call faster than real time) may show in either order, so only these two are compared.
  expect(text.indexOf('"CALL_START"')).toBeLessThan(text.indexOf('"CALL_END"'));

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'vmui-call-lifecycle.png'), fullPage: true });
});

test("the policy's passed and dropped records, by reason, are a graph in VictoriaMetrics' UI", async () => {
  stack ??= await startStack();
  // A few seconds of calls with the metrics exported every 500 ms, so the graph has points over time.
  const service = `graph-${randomUUID()}`;
  const demo = await runNode([DEMO, '--calls', '2', '--duration', '20', '--speed', '4'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl, OTEL_SERVICE_NAME: service, OTEL_METRIC_EXPORT_INTERVAL: '500' },
    timeoutMs: 60_000,
  });
  expect(demo.code, demo.stderr).toBe(0);
  const reasons = Object.entries(droppedByReason(demo.stdout))
    .filter(([, n]) => n > 0)
    .map(([reason]) => reason);
  expect(reasons.length).toBeGreaterThan(1);
  // Every series is stored before the page is opened.
  await waitForVictoriaMetrics(stack.victoriaMetricsUrl, `sum by (outcome, reason) (log_policy.records{service.name="${service}"})`, (s) => s.length === reasons.length + 1);

  browser ??= await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = vmuiGraphUrl(stack.victoriaMetricsUrl, policyRecordsQuery(), { range: '5m', step: '1s' });
  console.log(`vmui graph URL: ${url}`);
  await page.goto(url);
  // The legend names each series: passed, and dropped with each reason the demo counted.
  const legend = page.locator('.vm-legend');
  await expect.poll(async () => (await legend.count()) > 0 && (await legend.innerText()).includes('passed'), { timeout: 30_000 }).toBe(true);
  const legendText = await legend.innerText();
  for (const reason of reasons) expect(legendText).toContain(reason);
  expect(legendText).toContain('dropped');
  // The lines are drawn: uPlot paints the series on a canvas.
  expect(await page.locator('.u-over').count()).toBeGreaterThan(0);

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'vmui-policy-records.png'), fullPage: true });
});
