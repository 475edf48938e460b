// What a person sees: one call's lifecycle in VictoriaLogs' web UI (vmui),
// opened in a real headless Chromium (Debian's, driven by playwright-core).
// The screenshot is saved to test-results/vmui-call-lifecycle.png.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runNode } from '../helpers/child.ts';
import { exportedTotal } from './demoOutput.ts';
import { callLifecycleQuery, ROOT, startStack, vmuiUrl, waitForVictoriaLogs, type Stack } from './stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const DEMO = fileURLToPath(new URL('../../demo/main.ts', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
  const entries = await waitForVictoriaLogs(victoriaLogsUrl, `service.name:${JSON.stringify(service)}`, (es) => es.length === exported);
  const traceId = entries.find((e) => e['event_name'] === 'CALL_END')!['trace_id']!;

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
  expect(text).toContain(`"trace_id": "${traceId}"`);
  expect(text).toContain(`"service.name": "${service}"`);
  // Lifecycle events only: the call's other records are not in this view.
  expect(text).not.toContain('[TX_SLOW]');
  // CALL_START and CALL_END are a whole call apart; records emitted in the same millisecond (the demo
  // runs its call faster than real time) may show in either order, so only these two are compared.
  expect(text.indexOf('"CALL_START"')).toBeLessThan(text.indexOf('"CALL_END"'));

  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, 'vmui-call-lifecycle.png'), fullPage: true });
});
