// The backends as a web page of another origin sees them, in a real headless Chromium: both run
// with -http.disableCORS (test/e2e/stack.ts BACKEND_FLAGS, as in docker-compose.yml), so a page
// cannot read their APIs and cannot send them a preflighted request. What CORS cannot stop is
// asserted too, so that it stays written down: a "simple" cross-origin POST (text/plain, no
// preflight) is still sent by the browser, and both backends store what it carries.
// And the flush interval: what either backend acknowledged survives a kill -9 once
// -inmemoryDataFlushInterval (1 s) has passed (with the 5 s default, both tests lose everything).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from './chromium.ts';
import { freePort, queryVictoriaLogs, queryVictoriaMetrics, startStack, waitForVictoriaLogs, waitForVictoriaMetrics, type Stack } from './stack.ts';

let stack: Stack;
let browser: Browser;
let page: Page;
let otherOrigin: Server;

beforeAll(async () => {
  stack = await startStack();
  // The attacker's page: any other origin the person running the stack has open.
  const port = await freePort();
  otherOrigin = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another origin</title>'));
  await new Promise<void>((r) => otherOrigin.listen(port, '127.0.0.1', r));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
});

afterAll(async () => {
  await browser?.close();
  otherOrigin?.close();
  await stack?.stop();
});

/** fetch() run in the other origin's page: 'ok <status>', 'opaque' (no-cors) or the browser's error. */
async function fetchFromPage(url: string, init: { method?: string; body?: string; contentType?: string; noCors?: boolean } = {}): Promise<string> {
  return await page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, {
          method: init.method ?? 'GET',
          ...(init.body !== undefined ? { body: init.body } : {}),
          ...(init.contentType !== undefined ? { headers: { 'content-type': init.contentType } } : {}),
          ...(init.noCors === true ? { mode: 'no-cors' as const } : {}),
        });
        return res.type === 'opaque' ? 'opaque' : `ok ${res.status}`;
      } catch (error) {
        return `refused: ${String(error)}`;
      }
    },
    { url, init },
  );
}

/**
 * The CORS allow headers a backend sends to a request from another origin, for a plain GET and a
 * preflight. (VictoriaLogs' query answers still carry Access-Control-Expose-Headers, which grants
 * nothing without Access-Control-Allow-Origin.)
 */
async function corsHeaders(url: string): Promise<string[]> {
  const origin = { origin: 'http://127.0.0.1:1' };
  const get = await fetch(url, { headers: origin });
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  return [...get.headers.keys(), ...preflight.headers.keys()].filter((h) => h.startsWith('access-control-allow-'));
}

describe('VictoriaLogs', () => {
  test('answers no cross-origin request with CORS headers, so a page of another origin cannot read it', async () => {
    const url = `${stack.victoriaLogsUrl}/select/logsql/query?query=*`;
    expect(await corsHeaders(url)).toEqual([]);
    expect(await fetchFromPage(url)).toMatch(/^refused: TypeError/);
  });

  test('a preflighted forged insert is refused by the browser; a simple one is still stored', async () => {
    const marker = randomUUID();
    const line = (kind: string) => JSON.stringify({ _msg: `forged-${kind}-${marker}`, 'call.id': 'CA-victim' });
    const insert = `${stack.victoriaLogsUrl}/insert/jsonline`;
    expect(await fetchFromPage(insert, { method: 'POST', body: line('preflighted'), contentType: 'application/json' })).toMatch(/^refused: TypeError/);
    expect(await fetchFromPage(insert, { method: 'POST', body: line('simple'), noCors: true })).toBe('opaque');
    // A record sent after both, from this process: once it is searchable, so would be the others.
    await fetch(insert, { method: 'POST', body: line('control') });
    await waitForVictoriaLogs(stack.victoriaLogsUrl, `_msg:="forged-control-${marker}"`, (es) => es.length === 1);
    expect(await queryVictoriaLogs(stack.victoriaLogsUrl, `_msg:="forged-preflighted-${marker}"`)).toEqual([]);
    expect(await queryVictoriaLogs(stack.victoriaLogsUrl, `_msg:="forged-simple-${marker}"`)).toHaveLength(1);
  });

  test('records it acknowledged survive a kill -9 once the flush interval (1 s) has passed', async () => {
    const marker = randomUUID();
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ _msg: `durable-${marker}`, n: i })).join('\n');
    const res = await fetch(`${stack.victoriaLogsUrl}/insert/jsonline`, { method: 'POST', body: lines });
    expect(res.status).toBe(200);
    await waitForVictoriaLogs(stack.victoriaLogsUrl, `_msg:="durable-${marker}"`, (es) => es.length === 100);
    // Twice the interval, well under the 5 s default: with the default these would be lost.
    await new Promise((r) => setTimeout(r, 2_000));
    await stack.victoriaLogs.stop('SIGKILL');
    await stack.victoriaLogs.start();
    expect(await queryVictoriaLogs(stack.victoriaLogsUrl, `_msg:="durable-${marker}"`)).toHaveLength(100);
  });
});

describe('VictoriaMetrics', () => {
  test('answers no cross-origin request with CORS headers, so a page of another origin cannot read it', async () => {
    const url = `${stack.victoriaMetricsUrl}/api/v1/query?query=1`;
    expect(await corsHeaders(url)).toEqual([]);
    expect(await fetchFromPage(url)).toMatch(/^refused: TypeError/);
  });

  test('a preflighted forged insert is refused by the browser; a simple one is still stored', async () => {
    const marker = randomUUID().replaceAll('-', '_');
    const insert = `${stack.victoriaMetricsUrl}/api/v1/import/prometheus`;
    expect(await fetchFromPage(insert, { method: 'POST', body: `forged_preflighted_${marker} 1`, contentType: 'application/json' })).toMatch(/^refused: TypeError/);
    expect(await fetchFromPage(insert, { method: 'POST', body: `forged_simple_${marker} 1`, noCors: true })).toBe('opaque');
    await fetch(insert, { method: 'POST', body: `forged_control_${marker} 1` });
    await waitForVictoriaMetrics(stack.victoriaMetricsUrl, `forged_control_${marker}`, (s) => s.length === 1);
    expect(await queryVictoriaMetrics(stack.victoriaMetricsUrl, `forged_preflighted_${marker}`)).toEqual([]);
    expect(await queryVictoriaMetrics(stack.victoriaMetricsUrl, `forged_simple_${marker}`)).toHaveLength(1);
  });

  test('points it acknowledged survive a kill -9 once the flush interval (1 s) has passed', async () => {
    const marker = randomUUID().replaceAll('-', '_');
    const lines = Array.from({ length: 100 }, (_, i) => `durable_${marker}{n="${i}"} ${i}`).join('\n');
    const res = await fetch(`${stack.victoriaMetricsUrl}/api/v1/import/prometheus`, { method: 'POST', body: lines });
    expect(res.status).toBe(204);
    await waitForVictoriaMetrics(stack.victoriaMetricsUrl, `durable_${marker}`, (s) => s.length === 100);
    await new Promise((r) => setTimeout(r, 2_000));
    await stack.victoriaMetrics.stop('SIGKILL');
    await stack.victoriaMetrics.start();
    expect(await queryVictoriaMetrics(stack.victoriaMetricsUrl, `durable_${marker}`)).toHaveLength(100);
  });
});
