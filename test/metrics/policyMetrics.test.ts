import { metrics, ROOT_CONTEXT, SeverityNumber as S } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, test } from 'vitest';
import { CALL_ID_KEY } from '../../src/state/callContext.ts';
import { MAX_METRIC_KEYS } from '../../src/pipeline/hooks/PolicyMetrics.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

let provider: MeterProvider | undefined;

afterEach(async () => {
  metrics.disable();
  await provider?.shutdown();
  provider = undefined;
});

/** A global MeterProvider whose reader exports to memory only when the test says so. */
function registerMeterProvider() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  return async (name: string): Promise<DataPoint<number>[]> => {
    exporter.reset();
    await reader.forceFlush();
    const found = exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics)
      .flatMap((sm) => sm.metrics)
      .filter((m) => m.descriptor.name === name);
    return found.flatMap((m) => m.dataPoints as DataPoint<number>[]);
  };
}

function emit(p: Pipeline, severity: S, body: string, callId?: string) {
  const ctx = callId === undefined ? ROOT_CONTEXT : ROOT_CONTEXT.setValue(CALL_ID_KEY, callId);
  p.logger('server.app').emit({ severityNumber: severity, body, context: ctx });
}

const value = (points: DataPoint<number>[], attributes: Record<string, string>) => points.find((dp) => JSON.stringify(dp.attributes) === JSON.stringify(attributes))?.value;

describe("the policy's own metrics", () => {
  test('log_policy.records by outcome, reason and key; gauges of open and escalated calls', async () => {
    const read = registerMeterProvider();
    const p = pipeline({ LOG_POLICY_RECORDER: '10' });
    emit(p, S.INFO, '[CALL_START] go', 'a');
    emit(p, S.INFO, '[AUDIO_DELTA] 1', 'a'); // passes
    emit(p, S.INFO, '[AUDIO_DELTA] 2', 'a'); // rate limit, recorded
    emit(p, S.INFO, '[AUDIO_DELTA] 3', 'a'); // rate limit, recorded
    emit(p, S.DEBUG, 'detail', 'a'); // threshold, recorded
    emit(p, S.DEBUG, 'outside', undefined); // refused by enabled(): never built, never counted
    emit(p, S.INFO, '[AUDIO_DELTA] x'); // passes (outside calls)
    emit(p, S.INFO, '[AUDIO_DELTA] y'); // rate limit outside a call: dropped, not recorded
    emit(p, S.INFO, '[CALL_START] go', 'v');
    p.logger('server.app').emit({ severityNumber: S.INFO, body: 'x', attributes: { 'call.id': 'e', 'log.policy.mode': 'development' } });
    let records = await read('log_policy.records');
    expect(value(records, { outcome: 'passed' })).toBe(5);
    expect(value(records, { outcome: 'recorded', reason: 'rate_limit', key: 'AUDIO_DELTA' })).toBe(2);
    expect(value(records, { outcome: 'recorded', reason: 'threshold', key: '(none)' })).toBe(1);
    expect(value(records, { outcome: 'dropped', reason: 'rate_limit', key: 'AUDIO_DELTA' })).toBe(1);
    expect(value(await read('log_policy.calls.open'), {})).toBe(3);
    expect(value(await read('log_policy.calls.escalated'), {})).toBe(1);

    emit(p, S.ERROR, 'caller hears silence', 'a');
    records = await read('log_policy.records');
    expect(value(records, { outcome: 'flushed', reason: 'rate_limit', key: 'AUDIO_DELTA' })).toBe(2);
    expect(value(records, { outcome: 'flushed', reason: 'threshold', key: '(none)' })).toBe(1);
    expect(value(records, { outcome: 'passed' })).toBe(6);
  });

  test('key cardinality is bounded: keys beyond the cap are reported as (overflow)', async () => {
    const read = registerMeterProvider();
    const p = pipeline({ LOG_POLICY_ONCE: Array.from({ length: 500 }, (_, i) => `K${i}`).join(',') });
    for (let i = 0; i < 500; i++) for (let n = 0; n < 2; n++) emit(p, S.INFO, `[K${i}] x`);
    const dropped = (await read('log_policy.records')).filter((dp) => dp.attributes['outcome'] === 'dropped');
    const keys = new Set(dropped.map((dp) => dp.attributes['key']));
    expect(keys.size).toBe(MAX_METRIC_KEYS + 1);
    expect(keys.has('(overflow)')).toBe(true);
    expect(dropped.reduce((sum, dp) => sum + dp.value, 0)).toBe(500);
  });

  test('a MeterProvider registered after the processor is picked up when the next call starts', async () => {
    const p = pipeline({});
    emit(p, S.INFO, '[DSP] on', 'a');
    emit(p, S.INFO, '[DSP] on', 'a'); // dropped before any provider: not counted by key
    const read = registerMeterProvider();
    emit(p, S.INFO, '[CALL_START] go', 'b');
    emit(p, S.INFO, '[DSP] on', 'b');
    emit(p, S.INFO, '[DSP] on', 'b');
    const records = await read('log_policy.records');
    expect(value(records, { outcome: 'dropped', reason: 'once', key: 'DSP' })).toBe(1);
    expect(value(records, { outcome: 'passed' })).toBe(3); // the processor's own total, since it was created
  });

  test('with no MeterProvider, nothing is counted by key (the drop path only checks a boolean)', () => {
    const p = pipeline({});
    emit(p, S.INFO, '[DSP] on', 'a');
    emit(p, S.INFO, '[DSP] on', 'a');
    const hooks = (p.processor as unknown as { onDropped: Array<{ metrics?: { active: boolean; byKey: Map<string, unknown> } }> }).onDropped;
    const metrics = hooks.find((h) => h.metrics !== undefined)!.metrics!;
    expect(metrics.active).toBe(false);
    expect(metrics.byKey.size).toBe(0);
  });
});
