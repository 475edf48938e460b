// A burst of large records against the real collector (max_request_body_size: 8 MiB) and
// VictoriaLogs: nothing one record does may stop the records behind it.
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import type { ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, expect, test } from 'vitest';
import { classifyFailure } from '../../src/pipeline/export/exportFailure.ts';
import { policyPipeline } from './policyPipeline.ts';
import { simulateCall } from '../fixtures/simulatedCall.ts';
import { startStack, waitForVictoriaLogs, type Stack } from './stack.ts';

let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
});

const MiB = 1024 * 1024;
const errorBody = (tag: string, i: number, length: number) => `${tag} gateway failed #${i}: `.padEnd(length, 'x');
/** 600 distinct errors outside a call: the per-call key cap (64) would otherwise fold most into repeats. */
const MANY_KEYS = { LOG_POLICY_MAX_KEYS: '1024' };

test('the collector answers a request over 8 MiB with HTTP 400, which the OTLP/HTTP exporter reports with the status and the package classifies as refused', async () => {
  stack ??= await startStack();
  const memory = new InMemoryLogRecordExporter();
  const sdk = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  sdk.getLogger('t').emit({ severityNumber: 17, body: 'x'.repeat(9 * MiB) });
  const exporter = new OTLPLogExporter({ url: `${stack.otlpHttpUrl}/v1/logs` });
  const result = await new Promise<ExportResult>((resolve) => exporter.export(memory.getFinishedLogRecords(), resolve));
  await exporter.shutdown();
  expect((result.error as { code?: number } | undefined)?.code).toBe(400);
  expect(classifyFailure(result.error)).toBe('refused');
}, 60_000);

test('600 ERRORs with 16,384-character bodies, then 30 calls: every record reaches VictoriaLogs', async () => {
  stack ??= await startStack();
  const { policy, provider } = policyPipeline(stack.otlpHttpUrl, MANY_KEYS);
  const app = provider.getLogger('server.app');
  const started = Date.now();
  for (let i = 0; i < 600; i++) app.emit({ severityNumber: 17, severityText: 'ERROR', body: errorBody('burst', i, 16_384) });
  for (let i = 0; i < 30; i++) simulateCall(`burst-${i}`, i + 1);
  const lifecycle = await waitForVictoriaLogs(stack.victoriaLogsUrl, 'call.id:burst-* event_name:in(CALL_START, CALL_END)', (e) => e.length >= 60, 60_000);
  const errors = await waitForVictoriaLogs(stack.victoriaLogsUrl, '"burst gateway failed"', (e) => e.length >= 600, 60_000, 10_000);
  const seconds = (Date.now() - started) / 1000;
  const stats = policy.stats().export!;
  await provider.shutdown();
  expect(new Set(lifecycle.map((e) => `${e['event_name']}/${e['call.id']}`)).size).toBe(60);
  expect(errors).toHaveLength(600);
  expect(stats.byteSplits).toBeGreaterThan(0);
  expect(stats).toMatchObject({ refused: 0, exportFailed: 0, retryBuffered: 0 });
  console.info('burst of 16 KiB ERRORs:', JSON.stringify({ seconds, byteSplits: stats.byteSplits, exported: stats.exported, refused: stats.refused }));
}, 180_000);

test('caps raised past the collector limit: the collector refuses (400), the halves arrive, a 9 MiB record alone is dropped and counted, 30 calls behind it arrive', async () => {
  stack ??= await startStack();
  const { policy, provider } = policyPipeline(stack.otlpHttpUrl, { ...MANY_KEYS, LOG_POLICY_MAX_BODY: String(10 * MiB), LOG_POLICY_MAX_EXPORT_BYTES: '64MiB' });
  const app = provider.getLogger('server.app');
  const started = Date.now();
  for (let i = 0; i < 300; i++) app.emit({ severityNumber: 17, body: errorBody('raised', i, 16_384) });
  app.emit({ severityNumber: 17, body: errorBody('poison', 0, 9 * MiB) });
  for (let i = 300; i < 600; i++) app.emit({ severityNumber: 17, body: errorBody('raised', i, 16_384) });
  for (let i = 0; i < 30; i++) simulateCall(`raised-${i}`, i + 1);
  const lifecycle = await waitForVictoriaLogs(stack.victoriaLogsUrl, 'call.id:raised-* event_name:in(CALL_START, CALL_END)', (e) => e.length >= 60, 60_000);
  const errors = await waitForVictoriaLogs(stack.victoriaLogsUrl, '"raised gateway failed"', (e) => e.length >= 600, 60_000, 10_000);
  const seconds = (Date.now() - started) / 1000;
  const stats = policy.stats().export!;
  await provider.shutdown();
  expect(new Set(lifecycle.map((e) => `${e['event_name']}/${e['call.id']}`)).size).toBe(60);
  expect(errors).toHaveLength(600);
  expect(stats.refused).toBe(1);
  expect(stats.refusedSplits).toBeGreaterThan(0);
  expect(stats.retryBuffered).toBe(0);
  const poison = await waitForVictoriaLogs(stack.victoriaLogsUrl, '"poison gateway failed"', () => true, 1_000);
  expect(poison).toHaveLength(0);
  console.info('caps past the collector limit:', JSON.stringify({ seconds, refused: stats.refused, refusedSplits: stats.refusedSplits, exported: stats.exported }));
}, 180_000);

test('one ERROR with a 9 MiB event name: cut to 64 characters, counted; it and 30 calls behind it arrive', async () => {
  stack ??= await startStack();
  const { policy, provider } = policyPipeline(stack.otlpHttpUrl);
  const app = provider.getLogger('server.app');
  app.emit({ severityNumber: 17, eventName: 'N'.repeat(9 * MiB), body: 'long event name' });
  for (let i = 0; i < 30; i++) simulateCall(`named-${i}`, i + 1);
  const lifecycle = await waitForVictoriaLogs(stack.victoriaLogsUrl, 'call.id:named-* event_name:in(CALL_START, CALL_END)', (e) => e.length >= 60, 60_000);
  const [named] = await waitForVictoriaLogs(stack.victoriaLogsUrl, '"long event name"', (e) => e.length >= 1, 30_000);
  const stats = policy.stats().export!;
  await provider.shutdown();
  expect(lifecycle).toHaveLength(60);
  expect(named!['event_name']).toBe('N'.repeat(64));
  expect(stats.truncated).toBeGreaterThanOrEqual(1);
  expect(stats.refused).toBe(0);
}, 120_000);
