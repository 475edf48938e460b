// What a person sees: one call's lifecycle in VictoriaLogs' web UI (vmui),
// opened in a real headless Chromium (Debian's, driven by playwright-core).
// The screenshot is saved to test-results/vmui-call-lifecycle.png.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SeverityNumber } from '@opentelemetry/api';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { withSdk } from './sdk.ts';
import { callLifecycleQuery, ROOT, startStack, vmuiUrl, waitForVictoriaLogs, type Stack } from './stack.ts';

const CHROMIUM = '/usr/bin/chromium';
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
  const callId = `ui-${randomUUID()}`;
  await withSdk(otlpHttpUrl, 'voice-call-e2e', ({ logger, tracer, inSpan }) => {
    const span = tracer.startSpan('call');
    inSpan(span, () => {
      // Distinct timestamps, 10 ms apart, so the time order is well defined.
      const t0 = Date.now();
      let i = 0;
      const emit = (eventName: string | undefined, body: string, severityNumber = SeverityNumber.INFO) =>
        logger.emit({
          timestamp: new Date(t0 + 10 * i++),
          ...(eventName !== undefined ? { eventName } : {}),
          severityNumber,
          body,
          attributes: { 'call.id': callId, ...(eventName !== undefined ? { 'log.key': eventName } : {}) },
        });
      emit('CALL_START', 'call started');
      emit(undefined, 'audio frame stats (debug detail, not a lifecycle event)', SeverityNumber.DEBUG);
      emit('REALTIME', 'realtime session connected');
      emit('CALL_END', 'call ended');
    });
    span.end();
  });
  // The records are searchable before the page is opened.
  await waitForVictoriaLogs(victoriaLogsUrl, `call.id:${JSON.stringify(callId)}`, (es) => es.length >= 4);

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
  expect(text).not.toContain('audio frame stats');
  // In time order.
  expect(text.indexOf('"CALL_START"')).toBeLessThan(text.indexOf('"REALTIME"'));
  expect(text.indexOf('"REALTIME"')).toBeLessThan(text.indexOf('"CALL_END"'));

  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, 'vmui-call-lifecycle.png'), fullPage: true });
});
