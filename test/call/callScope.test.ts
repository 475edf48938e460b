import { context, ROOT_CONTEXT, SeverityNumber as S, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, test } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { currentCallId } from '../../src/state/callContext.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { OncePerCall } from '../../src/api/OncePerCall.ts';
import { RateLimiter } from '../../src/api/RateLimiter.ts';
import { FakeClock, pipeline } from '../helpers/pipeline.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

afterEach(() => {
  context.disable();
  trace.disable();
});

describe.each([
  ['no context manager (bare LoggerProvider)', false],
  ['AsyncLocalStorageContextManager (as NodeSDK registers)', true],
])('call scope with %s', (_, withManager) => {
  function setup() {
    if (withManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    return pipeline({}, { global: true });
  }

  test('startCall emits CALL_START; records in run() and across await belong to the call; end() emits CALL_END', async () => {
    const p = setup();
    const call = startCall('c-1', { 'caller.region': 'eu' });
    await call.run(async () => {
      expect(currentCallId()).toBe('c-1');
      await tick();
      expect(currentCallId()).toBe('c-1');
      getLogger('server.app').info('[REALTIME] connected');
    });
    expect(currentCallId()).toBeUndefined();
    call.end({ 'call.outcome': 'ok' });
    call.end(); // idempotent
    const events = p.records().map((r) => [r.eventName ?? r.attributes['log.key'], r.attributes['call.id']]);
    expect(events).toEqual([
      ['CALL_START', 'c-1'],
      ['REALTIME', 'c-1'],
      ['CALL_END', 'c-1'],
    ]);
    expect(p.records()[0]!.attributes['caller.region']).toBe('eu');
    expect(p.records()[2]!.attributes).toMatchObject({ 'call.outcome': 'ok', 'log.forwarded_count': 3 });
    expect(p.records()[0]!.body).toBe('[CALL_START] call c-1 started');
  });

  test('two calls interleaved across await share no once-keys or limits', async () => {
    const p = setup();
    const a = startCall('a');
    const b = startCall('b');
    const talk = (call: typeof a) =>
      call.run(async () => {
        for (let i = 0; i < 3; i++) {
          getLogger('server.app').info('[DSP] enabled');
          getLogger('server.app').warn('[TX_SLOW] q=9');
          await tick();
        }
      });
    await Promise.all([talk(a), talk(b)]);
    a.end();
    b.end();
    const byCall = (id: string) =>
      p
        .records()
        .filter((r) => r.attributes['call.id'] === id)
        .map((r) => String(r.body).split(' ')[0]);
    expect(byCall('a')).toEqual(['[CALL_START]', '[DSP]', '[TX_SLOW]', '[CALL_END]']);
    expect(byCall('b')).toEqual(['[CALL_START]', '[DSP]', '[TX_SLOW]', '[CALL_END]']);
  });
});

test("with tracing on, the call's records carry the call span's trace and span ids", () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }));
  const p = pipeline({}, { global: true });
  const call = startCall('t-1');
  call.run(() => getLogger('server.app').warn('inside'));
  call.end();
  const [span] = spans.getFinishedSpans();
  expect(span!.attributes['call.id']).toBe('t-1');
  expect(p.records()).toHaveLength(3);
  for (const r of p.records()) {
    expect(r.spanContext?.traceId).toBe(span!.spanContext().traceId);
    expect(r.spanContext?.spanId).toBe(span!.spanContext().spanId);
  }
});

test('CALL_START and CALL_END carry the span ids even with no context manager', () => {
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }));
  const p = pipeline({}, { global: true });
  const call = startCall('t-2');
  call.end();
  const traceId = spans.getFinishedSpans()[0]!.spanContext().traceId;
  expect(p.records().map((r) => r.spanContext?.traceId)).toEqual([traceId, traceId]);
});

describe("RateLimiter and OncePerCall (the seed's helpers)", () => {
  test('rl.every is per call and per key, with an injectable clock', () => {
    pipeline({}, { global: true });
    const clock = new FakeClock();
    const rl = new RateLimiter({ now: clock.now });
    const a = startCall('a');
    const b = startCall('b');
    expect(a.run(() => rl.every('audio_drain', 5))).toBe(true);
    expect(a.run(() => rl.every('audio_drain', 5))).toBe(false);
    expect(a.run(() => rl.every('other', 5))).toBe(true);
    expect(b.run(() => rl.every('audio_drain', 5))).toBe(true);
    clock.advance(5_000);
    expect(a.run(() => rl.every('audio_drain', 5))).toBe(true);
    expect(rl.every('audio_drain', 5)).toBe(true); // outside calls: global
    expect(rl.every('audio_drain', 5)).toBe(false);
    a.end();
    b.end();
  });

  test('once.once is true the first time per call; state is freed at end()', () => {
    pipeline({}, { global: true });
    const once = new OncePerCall();
    const a = startCall('a');
    expect(a.run(() => once.once('dsp_enabled'))).toBe(true);
    expect(a.run(() => once.once('dsp_enabled'))).toBe(false);
    a.end();
    const again = startCall('a');
    expect(again.run(() => once.once('dsp_enabled'))).toBe(true);
    again.end();
  });
});

test("a record's own call.id attribute wins over the active call", () => {
  const p = pipeline({}, { global: true });
  const call = startCall('outer');
  call.run(() => getLogger('x').warn('w', { 'call.id': 'explicit' }));
  expect(p.records()[1]!.attributes['call.id']).toBe('explicit');
  expect(p.records()[1]!.severityNumber).toBe(S.WARN);
});

describe('RateLimiter and OncePerCall under hostile keys', () => {
  test('beyond maxKeys distinct keys per call, new keys share one slot', () => {
    pipeline({}, { global: true });
    const clock = new FakeClock();
    const rl = new RateLimiter({ now: clock.now, maxKeys: 3 });
    const once = new OncePerCall({ maxKeys: 3 });
    const call = startCall('hostile');
    const passed = call.run(() => Array.from({ length: 1_000 }, (_, i) => rl.every(`k${i}`, 5)).filter(Boolean).length);
    expect(passed).toBe(4); // three own keys, then the shared slot once per interval
    expect(call.run(() => rl.every('k0', 5))).toBe(false); // a key that got its own slot keeps it
    const first = call.run(() => Array.from({ length: 1_000 }, (_, i) => once.once(`k${i}`)).filter(Boolean).length);
    expect(first).toBe(4);
    call.end();
  });
});

test('a registered context manager that carries nothing: the call runs in the package storage instead', () => {
  // A manager whose with() sets nothing (as NoopContextManager): the probe sees it and the call still resolves.
  const inert = {
    active: () => ROOT_CONTEXT,
    with: (_c: unknown, fn: (...a: unknown[]) => unknown, self?: unknown, ...a: unknown[]) => fn.call(self, ...a),
    bind: <T>(_c: unknown, t: T) => t,
    enable() {
      return this;
    },
    disable() {
      return this;
    },
  };
  context.setGlobalContextManager(inert as never);
  const call = startCall('inert-1');
  expect(call.run(() => currentCallId())).toBe('inert-1');
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // The manager changed: the next run finds it carries the context.
  expect(call.run(() => [currentCallId(), context.active() !== ROOT_CONTEXT])).toEqual(['inert-1', true]);
  call.end();
});
