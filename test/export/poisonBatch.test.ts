// A burst of large records must not stop delivery: batches are cut by bytes, a request the receiver
// refuses is split, a record refused alone is dropped and counted, never re-sent as it was. Through
// the real SDK, the real OTLP/HTTP exporter and a loopback receiver with the collector's 8 MiB rule.
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { classifyFailure } from '../../src/pipeline/export/exportFailure.ts';
import { requestBytes } from '../../src/pipeline/export/requestSize.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { simulateCall } from '../fixtures/simulatedCall.ts';
import { startLimitedReceiver } from '../helpers/limitedReceiver.ts';
import { useGlobally } from '../helpers/pipeline.ts';

const MiB = 1024 * 1024;
/** The project's collector: `max_request_body_size: 8388608`. */
const COLLECTOR_LIMIT = 8 * MiB;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function receiver(maxBytes: number, status = 400) {
  const r = await startLimitedReceiver(maxBytes, status);
  closers.push(r.close);
  return r;
}

/** The package's pipeline (production mode) into the real OTLP/HTTP exporter. */
function pipelineTo(url: string, env: Record<string, string> = {}) {
  const [policy] = logPolicyProcessors({
    config: loadPolicyConfig({ LOG_POLICY_MODE: 'production', ...env }),
    exporter: new OTLPLogExporter({ url }),
  });
  const provider = new LoggerProvider({ processors: [policy] });
  useGlobally(provider);
  closers.push(() => provider.shutdown());
  return { policy, provider, app: provider.getLogger('server.app') };
}

const errorBody = (i: number, length: number) => `payment gateway failed #${i}: `.padEnd(length, 'x');

describe('what the OTLP/HTTP exporter reports for a refused request', () => {
  test.each([400, 413])('HTTP %i: a failure whose error carries the status, classified as refused', async (status) => {
    const r = await receiver(0, status);
    const exporter = new OTLPLogExporter({ url: r.url });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(sdkRecords(1), resolve));
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect((result.error as { code?: number }).code).toBe(status);
    expect(classifyFailure(result.error)).toBe('refused');
    expect(r.sizes).toHaveLength(1); // the exporter itself does not retry a 400/413
  });

  test('connection refused and 503 are not refusals: they are worth re-sending', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('unreachable');
    expect(classifyFailure(Object.assign(new Error('Service Unavailable'), { code: 503 }))).toBe('unreachable');
    expect(classifyFailure(new Error('Request timed out'))).toBe('unreachable');
    // gRPC: a message over the server's max is refused; a plain RESOURCE_EXHAUSTED is a rate limit.
    expect(classifyFailure({ code: 8, details: 'grpc: received message larger than max (9437184 vs. 8388608)', metadata: {} })).toBe('refused');
    expect(classifyFailure({ code: 8, details: 'rate limited', metadata: {} })).toBe('unreachable');
    expect(classifyFailure({ code: 14, details: 'unavailable', metadata: {} })).toBe('unreachable');
  });
});

describe('a burst of large ERRORs', () => {
  test('600 ERRORs with 16,384-character bodies, then 30 calls: everything arrives, no request over 8 MiB', async () => {
    const r = await receiver(COLLECTOR_LIMIT);
    // 600 distinct errors outside a call: the per-call key cap (64) would otherwise fold them into repeats.
    const { policy, provider, app } = pipelineTo(r.url, { LOG_POLICY_MAX_KEYS: '1024' });
    for (let i = 0; i < 600; i++) app.emit({ severityNumber: 17, severityText: 'ERROR', body: errorBody(i, 16_384) });
    for (let i = 0; i < 30; i++) simulateCall(`burst-${i}`, i + 1);
    await provider.forceFlush();
    const stats = policy.stats().export!;
    const bursts = r.received.filter((x) => typeof x.body === 'string' && x.body.startsWith('payment gateway failed #'));
    expect(bursts).toHaveLength(600);
    expect(new Set(r.received.filter((x) => x.eventName === 'CALL_START').map((x) => x.attributes['call.id'])).size).toBe(30);
    expect(new Set(r.received.filter((x) => x.eventName === 'CALL_END').map((x) => x.attributes['call.id'])).size).toBe(30);
    expect(r.sizes.every((s) => s.status === 200 && s.bytes <= 4 * MiB)).toBe(true);
    expect(stats.byteSplits).toBeGreaterThan(0);
    expect(stats).toMatchObject({ refused: 0, exportFailed: 0 });
  });

  test.each([400, 413])('a record alone over the receiver limit (HTTP %i) is dropped and counted; the records around it arrive, nothing is re-sent', async (status) => {
    const r = await receiver(COLLECTOR_LIMIT, status);
    // Caps raised past the receiver's limit, so the package cannot avoid the refusal.
    const { policy, provider, app } = pipelineTo(r.url, { LOG_POLICY_MAX_BODY: String(10 * MiB), LOG_POLICY_MAX_EXPORT_BYTES: '64MiB', LOG_POLICY_MAX_KEYS: '1024' });
    for (let i = 0; i < 20; i++) app.emit({ severityNumber: 17, body: errorBody(i, 100_000) });
    app.emit({ severityNumber: 17, body: errorBody(999, 9 * MiB) });
    for (let i = 20; i < 40; i++) app.emit({ severityNumber: 17, body: errorBody(i, 100_000) });
    await provider.forceFlush();
    for (let i = 0; i < 30; i++) simulateCall(`after-${i}`, i + 1);
    await provider.forceFlush();
    const stats = policy.stats().export!;
    const bodies = r.received.map((x) => String(x.body));
    expect(bodies.filter((b) => b.startsWith('payment gateway failed #') && !b.startsWith('payment gateway failed #999'))).toHaveLength(40);
    expect(bodies.some((b) => b.startsWith('payment gateway failed #999'))).toBe(false);
    expect(r.received.filter((x) => x.eventName === 'CALL_END')).toHaveLength(30);
    expect(stats.refused).toBe(1);
    expect(stats.refusedSplits).toBeGreaterThanOrEqual(1);
    expect(stats.retryBuffered).toBe(0);
    // The oversized record was sent alone once, after log2(41) splits at most: never again.
    const refusedRequests = r.sizes.filter((s) => s.status !== 200);
    expect(refusedRequests.length).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(41)));
  });

  test('an ERROR with an invalid timestamp (the OTLP exporter throws serializing it) is dropped alone and counted; its batch arrives', async () => {
    const r = await receiver(COLLECTOR_LIMIT);
    const { policy, provider, app } = pipelineTo(r.url);
    for (let i = 0; i < 10; i++) app.emit({ severityNumber: 17, body: `before ${i}` });
    app.emit({ severityNumber: 17, body: 'bad time', timestamp: new Date('not a date') });
    for (let i = 0; i < 5; i++) simulateCall(`time-${i}`, i + 1);
    await provider.forceFlush();
    const bodies = r.received.map((x) => String(x.body));
    expect(bodies.filter((b) => b.startsWith('before '))).toHaveLength(10);
    expect(bodies).not.toContain('bad time');
    expect(r.received.filter((x) => x.eventName === 'CALL_END')).toHaveLength(5);
    expect(policy.stats().export!).toMatchObject({ refused: 1, retryBuffered: 0 });
  });

  test('a 9 MiB event name is cut to 64 characters and counted; its record and the ones behind it arrive', async () => {
    const r = await receiver(COLLECTOR_LIMIT);
    const { policy, provider, app } = pipelineTo(r.url);
    const name = 'E'.repeat(9 * MiB);
    app.emit({ severityNumber: 17, eventName: name, body: 'boom' });
    for (let i = 0; i < 5; i++) simulateCall(`name-${i}`, i + 1);
    await provider.forceFlush();
    const boom = r.received.find((x) => x.body === 'boom');
    expect(boom?.eventName).toBe('E'.repeat(64));
    expect(r.received.filter((x) => x.eventName === 'CALL_END')).toHaveLength(5);
    expect(policy.stats().export!.truncated).toBeGreaterThanOrEqual(1);
    expect(policy.stats().export!.refused).toBe(0);
  });
});

/** Real SDK records (in-memory exporter): n ERRORs, or the given bodies/attributes. */
function sdkRecords(n: number, make: (i: number) => { body?: unknown; attributes?: Record<string, unknown>; eventName?: string } = () => ({ body: 'x' })): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('server.app', '1.0.0');
  for (let i = 0; i < n; i++) {
    const m = make(i);
    logger.emit({ severityNumber: 17, severityText: 'ERROR', ...m } as Parameters<typeof logger.emit>[0]);
  }
  return memory.getFinishedLogRecords();
}

describe('the byte estimate', () => {
  const anyString = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }));
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(anyString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.uint8Array({ maxLength: 64 })),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(anyString, tie('node'), { maxKeys: 5 })),
  })).node;

  test('is never below the real OTLP/JSON request, and not far above it', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ body: value, attributes: fc.dictionary(anyString, fc.oneof(anyString, fc.integer(), fc.boolean())), eventName: fc.option(anyString, { nil: undefined }) }),
          { minLength: 1, maxLength: 20 },
        ),
        (specs) => {
          const records = sdkRecords(specs.length, (i) => specs[i]!);
          const actual = JsonLogsSerializer.serializeRequest(records)!.length;
          const estimate = requestBytes(records);
          expect(estimate).toBeGreaterThanOrEqual(actual);
          expect(estimate).toBeLessThanOrEqual(actual * 2 + 400 * records.length + 1000);
          // The cheap first pass (strings at 6 bytes a character) is never below the exact one.
          expect(requestBytes(records, true)).toBeGreaterThanOrEqual(estimate);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('for the burst of 16,384-character ERRORs it is within 2% of the real size', () => {
    const records = sdkRecords(100, (i) => ({ body: errorBody(i, 16_384), attributes: { 'log.key': 'E', 'call.id': `CA${i}` } }));
    const actual = JsonLogsSerializer.serializeRequest(records)!.length;
    const estimate = requestBytes(records);
    expect(estimate).toBeGreaterThanOrEqual(actual);
    expect(estimate / actual).toBeLessThan(1.02);
  });
});
