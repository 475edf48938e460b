import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { InMemoryLogRecordExporter, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, test } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { startOtlpSink } from '../helpers/otlpSink.ts';

const TEN_MB = 10 * 1024 * 1024;

function hostileRecords() {
  const circular: Record<string, unknown> = { name: 'loop', depth: { level: 1 } };
  circular['self'] = circular;
  (circular['depth'] as Record<string, unknown>)['back'] = circular;
  const thousands: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) thousands[`attr.${i}`] = `value ${i}`;
  class Session {
    id = 'S1';
    secret = () => 'x';
  }
  return [
    { body: circular as never, attributes: { 'call.id': 'C1' } },
    { body: 'attrs', attributes: { und: undefined, nan: NaN, inf: -Infinity, big: 12345678901234567890n as never, fn: (() => 1) as never, circ: circular as never } },
    { body: 'x'.repeat(TEN_MB) },
    { body: { big: 10n as never, when: new Date(0) as never, err: new Error('boom') as never, session: new Session() as never, nested: 'y'.repeat(TEN_MB), after: 'cut' } },
    { body: new Uint8Array(TEN_MB).fill(7) },
    { body: 'many attributes', attributes: thousands },
    { body: 'long attribute', attributes: { transcript: 'z'.repeat(TEN_MB) } },
    { body: [1, [2, [3, [4, [5, [6, [7, [8, [9, [10, [11]]]]]]]]]]] as never },
    { body: 12345678901234567890n as never },
    { body: Symbol('s') as never },
  ];
}

function pipelineTo(exporter: LogRecordExporter, env: Record<string, string> = {}) {
  const [policy] = logPolicyProcessors({ config: loadPolicyConfig({ LOG_POLICY_MODE: 'development', ...env }), exporter });
  const provider = new LoggerProvider({ processors: [policy] });
  return { policy, provider, logger: provider.getLogger('app') };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup) await fn();
  cleanup = [];
});

describe('hostile records', () => {
  test('each is exported truncated or cleaned, and counted; nothing throws into emit', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const { policy, provider, logger } = pipelineTo(exporter);
    for (const record of hostileRecords()) expect(() => logger.emit(record)).not.toThrow();
    await provider.forceFlush();
    const out = exporter.getFinishedLogRecords();
    expect(out).toHaveLength(10);

    const [circ, attrs, bigString, bigMap, binary, many, longAttr, deep, bigintBody] = out;
    expect((circ!.body as Record<string, unknown>)['self']).toBe('[Circular]');
    expect(attrs!.attributes['nan']).toBe('NaN');
    expect(attrs!.attributes['inf']).toBe('-Infinity');
    // bigint, undefined and functions are not OTLP values: the SDK drops those attributes when it builds the record.
    expect(Object.keys(attrs!.attributes)).not.toContain('big');
    expect((bigString!.body as string).length).toBeLessThan(17_000);
    expect(bigString!.body as string).toMatch(/…\[truncated \d+ chars\]$/);
    const map = bigMap!.body as Record<string, unknown>;
    expect((map['nested'] as string).length).toBeLessThan(17_000);
    expect(map['big']).toBe('10');
    expect(map['when']).toBe('1970-01-01T00:00:00.000Z');
    expect(map['err']).toBe('Error: boom');
    expect(map['session']).toEqual({ id: 'S1' });
    // The whole body is held to the cap: the 10 MB string used it up, so later keys are summarized.
    expect(map['…']).toBe('[1 more keys]');
    expect((binary!.body as Uint8Array).length).toBe(16_384);
    expect(Object.keys(many!.attributes)).toHaveLength(128);
    expect(many!.droppedAttributesCount).toBe(5000 - 128);
    expect((longAttr!.attributes['transcript'] as string).length).toBeLessThan(4_200);
    expect(JSON.stringify(deep!.body)).toContain('[too deep]');
    expect(bigintBody!.body).toBe('12345678901234567890');

    const stats = policy.stats().export!;
    console.info('hostile records, export stats:', JSON.stringify({ truncated: stats.truncated, replaced: stats.replaced, attributesDropped: stats.attributesDropped }));
    expect(stats.truncated).toBeGreaterThanOrEqual(6);
    expect(stats.replaced).toBeGreaterThanOrEqual(7);
    expect(stats.attributesDropped).toBe(5000 - 128);
    expect(stats.guardErrors).toBe(0);
  });

  test('through the real OTLP/HTTP exporter to a loopback sink: every record serialized and delivered', async () => {
    const sink = await startOtlpSink();
    cleanup.push(sink.close);
    const { policy, provider, logger } = pipelineTo(new OTLPLogExporter({ url: `${sink.url}/v1/logs` }));
    cleanup.push(() => provider.shutdown());
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const record of hostileRecords()) logger.emit(record);
      logger.emit({ body: 'after the hostile ones' });
      await provider.forceFlush();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(sink.records()).toHaveLength(11);
    expect(sink.records().at(-1)!.body).toBe('after the hostile ones');
    // Five 10 MB values went in; the largest request stays far below any collector's request limit.
    expect(Math.max(...sink.requests().map((r) => r.bytes))).toBeLessThan(200_000);
    expect(policy.stats().export!.exported).toBe(11);
    expect(policy.stats().export!.exportFailed).toBe(0);
  });

  test('LOG_POLICY_MAX_BODY sets the body cap', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const { provider, logger } = pipelineTo(exporter, { LOG_POLICY_MAX_BODY: '100' });
    logger.emit({ body: 'a'.repeat(1000) });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords()[0]!.body).toBe(`${'a'.repeat(100)}…[truncated 900 chars]`);
  });
});
