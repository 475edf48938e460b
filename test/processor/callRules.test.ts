import { SeverityNumber as S } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

const at = (severityNumber: S, body: unknown, callId?: string, attributes: Record<string, unknown> = {}) =>
  ({
    severityNumber,
    body: body as string,
    attributes: callId === undefined ? attributes : { 'call.id': callId, ...attributes },
  }) as const;

/** The budget alone, as before templates: no template limit, no per-template share, no tail. */
const PLAIN_BUDGET = { LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_TEMPLATE_SHARE: '100', LOG_POLICY_CALL_TAIL: '0' };

function emit(p: Pipeline, severity: S, body: string, callId?: string, attributes?: Record<string, unknown>) {
  p.logger('server.app').emit(at(severity, body, callId, attributes) as never);
}

describe('once-per-call keys (rule 5)', () => {
  test('a once-key passes the first time in each call', () => {
    const p = pipeline({});
    for (const call of ['a', 'b']) for (let i = 0; i < 3; i++) emit(p, S.INFO, '[DSP] enabled: highpass+limiter', call);
    expect(p.records().map((r) => r.attributes['call.id'])).toEqual(['a', 'b']);
    expect(p.processor.stats().droppedByReason.once).toBe(4);
  });

  test("more once-keys than fit in a call's bit mask still pass once each", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `K${i}`);
    const p = pipeline({ LOG_POLICY_ONCE: keys.join(','), LOG_POLICY_CALL_BUDGET: '0' });
    for (let round = 0; round < 2; round++) for (const key of keys) emit(p, S.INFO, `[${key}] x`, 'a');
    expect(p.records()).toHaveLength(40);
    expect(p.processor.stats().droppedByReason.once).toBe(40);
  });

  test('outside calls a once-key passes once per process', () => {
    const p = pipeline({});
    emit(p, S.INFO, '[AUDIO_MODE] pcm16');
    emit(p, S.INFO, '[AUDIO_MODE] pcm16');
    expect(p.records()).toHaveLength(1);
  });

  test("ERROR is not governed by the once rule: the seed's [DSP] ERROR passes after [DSP] enabled", () => {
    const p = pipeline({});
    emit(p, S.INFO, '[DSP] enabled', 'a');
    emit(p, S.ERROR, '[DSP] ERROR: overflow - first occurrence', 'a');
    expect(p.bodies()).toEqual(['[DSP] enabled', '[DSP] ERROR: overflow - first occurrence']);
  });
});

describe('rate limits (rule 6)', () => {
  test('at most once per interval, per call, with the fake clock', () => {
    const p = pipeline({ LOG_POLICY_RATE_LIMITS: 'TX_SLOW=5s' });
    emit(p, S.WARN, '[TX_SLOW] q=1', 'a');
    emit(p, S.WARN, '[TX_SLOW] q=2', 'a');
    emit(p, S.WARN, '[TX_SLOW] q=1', 'b'); // another call has its own limit
    p.clock.advance(4_999);
    emit(p, S.WARN, '[TX_SLOW] q=3', 'a');
    p.clock.advance(1);
    emit(p, S.WARN, '[TX_SLOW] q=4', 'a');
    expect(p.records().map((r) => `${r.attributes['call.id']}:${r.body}`)).toEqual(['a:[TX_SLOW] q=1', 'b:[TX_SLOW] q=1', 'a:[TX_SLOW] q=4']);
    expect(p.processor.stats().droppedByReason.rate_limit).toBe(2);
  });

  test('outside calls the limit is global', () => {
    const p = pipeline({});
    emit(p, S.INFO, '[AUDIO_DRAIN] tx=3');
    emit(p, S.INFO, '[AUDIO_DRAIN] tx=4');
    p.clock.advance(5_000);
    emit(p, S.INFO, '[AUDIO_DRAIN] tx=5');
    expect(p.bodies()).toEqual(['[AUDIO_DRAIN] tx=3', '[AUDIO_DRAIN] tx=5']);
  });

  test('development mode still rate-limits (AUDIO_DELTA once per 10 s at DEBUG)', () => {
    const p = pipeline({ DEBUG: '0' });
    for (let ms = 0; ms < 30_000; ms += 20) {
      emit(p, S.DEBUG, '[AUDIO_DELTA] 320 bytes', 'a');
      p.clock.advance(20);
    }
    expect(p.records()).toHaveLength(3);
  });
});

describe('repeated errors (rule 7)', () => {
  test("the seed's DSP-error pattern: first ERROR, then a WARN with the count after 30 s", () => {
    const p = pipeline({});
    emit(p, S.ERROR, '[DSP] ERROR: clip - first occurrence', 'a');
    for (let i = 0; i < 50; i++) {
      p.clock.advance(500); // 25 s of errors every 500 ms
      emit(p, S.ERROR, '[DSP] ERROR: clip', 'a');
    }
    expect(p.records()).toHaveLength(1);
    p.clock.advance(5_000);
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a');
    const [first, repeat] = p.records();
    expect(first!.severityNumber).toBe(S.ERROR);
    expect(repeat!.severityNumber).toBe(S.WARN);
    expect(repeat!.severityText).toBe('WARN');
    expect(repeat!.attributes['log.repeat_count']).toBe(51);
    expect(repeat!.body).toContain('repeated 51 times');
    expect(repeat!.body).toMatch(/^\[DSP\] ERROR: clip/);
    expect(p.processor.stats().droppedByReason.repeat).toBe(50);
    expect(p.processor.stats().downgraded).toBe(1);
    // The count restarts after each report.
    p.clock.advance(1_000);
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a');
    p.clock.advance(30_000);
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a');
    expect(p.records()[2]!.attributes['log.repeat_count']).toBe(2);
  });

  test('the repeat report carries the count, not the stack again', () => {
    const p = pipeline({});
    const stack = { 'exception.type': 'RangeError', 'exception.stacktrace': 'RangeError: x\n    at dsp (dsp.ts:1:1)' };
    emit(p, S.ERROR, '[DSP] ERROR: x', 'a', stack);
    p.clock.advance(30_000);
    emit(p, S.ERROR, '[DSP] ERROR: x', 'a', stack);
    const [first, report] = p.records();
    expect(first!.attributes['exception.stacktrace']).toContain('at dsp');
    expect(report!.attributes).not.toHaveProperty('exception.stacktrace');
    expect(report!.attributes['exception.type']).toBe('RangeError');
  });

  test('keyless errors group by logger + exception type, else by message', () => {
    const p = pipeline({});
    emit(p, S.ERROR, 'socket closed', 'a', { 'exception.type': 'ECONNRESET' });
    emit(p, S.ERROR, 'socket closed again', 'a', { 'exception.type': 'ECONNRESET' });
    emit(p, S.ERROR, 'other failure', 'a');
    emit(p, S.ERROR, 'other failure', 'a');
    emit(p, S.ERROR, 'a third failure', 'a');
    expect(p.bodies()).toEqual(['socket closed', 'other failure', 'a third failure']);
  });

  test('calls do not share repeat state; FATAL is governed the same way', () => {
    const p = pipeline({});
    emit(p, S.FATAL, '[CRASH] x', 'a');
    emit(p, S.FATAL, '[CRASH] x', 'b');
    emit(p, S.FATAL, '[CRASH] x', 'a');
    expect(p.records().map((r) => r.attributes['call.id'])).toEqual(['a', 'b']);
  });

  test('interval comes from LOG_POLICY_ERROR_REPEAT', () => {
    const p = pipeline({ LOG_POLICY_ERROR_REPEAT: '2s' });
    emit(p, S.ERROR, '[E] x', 'a');
    emit(p, S.ERROR, '[E] x', 'a');
    p.clock.advance(2_000);
    emit(p, S.ERROR, '[E] x', 'a');
    expect(p.records().map((r) => r.severityNumber)).toEqual([S.ERROR, S.WARN]);
  });
});

describe('call budget (rule 8)', () => {
  test('INFO and below beyond the budget are dropped; WARN and macros are exempt', () => {
    // The plain budget: no template limit, share or tail (their own tests are in templates.test.ts).
    const p = pipeline({ LOG_POLICY_CALL_BUDGET: '3', ...PLAIN_BUDGET });
    for (let i = 0; i < 5; i++) emit(p, S.INFO, `info ${i}`, 'a');
    emit(p, S.WARN, 'warn', 'a');
    emit(p, S.INFO, '[CREATE_APPT] booked', 'a');
    emit(p, S.INFO, 'info b', 'b');
    expect(p.bodies()).toEqual(['info 0', 'info 1', 'info 2', 'warn', '[CREATE_APPT] booked', 'info b']);
    expect(p.processor.stats().droppedByReason.budget).toBe(2);
  });

  test('production default 20, development unlimited; records outside calls are not budgeted', () => {
    const prod = pipeline({ ...PLAIN_BUDGET });
    const dev = pipeline({ DEBUG: '0', ...PLAIN_BUDGET });
    for (const p of [prod, dev]) {
      for (let i = 0; i < 30; i++) emit(p, S.INFO, `i${i}`, 'a');
      for (let i = 0; i < 30; i++) emit(p, S.INFO, `o${i}`);
    }
    expect(prod.records()).toHaveLength(50);
    expect(dev.records()).toHaveLength(60);
  });

  test('a record dropped by the budget does not spend its once-key', () => {
    const p = pipeline({ LOG_POLICY_CALL_BUDGET: '1', LOG_POLICY_ONCE: 'ONE' });
    emit(p, S.INFO, 'fills the budget', 'a');
    emit(p, S.INFO, '[ONE] first try', 'a');
    expect(p.processor.stats().droppedByReason).toMatchObject({ budget: 1, once: 0 });
  });
});

describe('macro events (rule 9)', () => {
  test('never dropped by threshold or budget, but once-keys still apply (DSP)', () => {
    const p = pipeline({ LOG_POLICY_CALL_BUDGET: '1', LOG_POLICY_LEVELS: 'error' });
    for (const key of ['BOOT', 'CALL_START', 'REALTIME', 'CREATE_APPT', 'DSP', 'WEBHOOK_CLOSE', 'SERVER_ERROR', 'DSP']) emit(p, S.INFO, `[${key}] x`, 'a');
    expect(p.bodies()).toEqual(['BOOT', 'CALL_START', 'REALTIME', 'CREATE_APPT', 'DSP', 'WEBHOOK_CLOSE', 'SERVER_ERROR'].map((k) => `[${k}] x`));
    expect(p.records().every((r) => r.eventName === r.attributes['log.key'])).toBe(true);
  });

  test('a DEBUG-level record tagged as a macro is still held to INFO', () => {
    const p = pipeline({});
    emit(p, S.DEBUG, '[REALTIME] frame', 'a');
    expect(p.records()).toHaveLength(0);
  });
});

describe('call resolution and summary', () => {
  test('CALL_END carries the summary and frees the call', () => {
    const p = pipeline({});
    emit(p, S.INFO, '[CALL_START] go', 'a');
    p.clock.advance(1_234);
    emit(p, S.INFO, '[DSP] on', 'a');
    emit(p, S.INFO, '[DSP] on', 'a');
    emit(p, S.INFO, '[AUDIO_DELTA] 1', 'a');
    emit(p, S.INFO, '[AUDIO_DELTA] 2', 'a');
    emit(p, S.INFO, '[AUDIO_DELTA] 3', 'a');
    emit(p, S.DEBUG, 'never built', 'a'); // refused by enabled(): not a record, so not counted
    expect(p.processor.stats().callsOpen).toBe(1);
    p.clock.advance(766);
    emit(p, S.INFO, '[CALL_END] done', 'a');
    const end = p.records().at(-1)!;
    expect(end.attributes).toMatchObject({
      'call.id': 'a',
      'log.key': 'CALL_END',
      'call.duration_ms': 2_000,
      'log.dropped_count': 3,
      'log.produced_count': 7,
      'log.forwarded_count': 4,
      'log.dropped_by_key': { DSP: 1, AUDIO_DELTA: 2 },
      'log.dropped_by_reason': { once: 1, rate_limit: 2 },
    });
    expect(p.processor.stats().callsOpen).toBe(0);
  });

  test('a call that never ends is evicted after the TTL, and counted', () => {
    const p = pipeline({ LOG_POLICY_CALL_TTL: '10m' });
    emit(p, S.INFO, 'hello', 'lost');
    p.clock.advance(9 * 60_000);
    emit(p, S.INFO, 'hello', 'fresh');
    expect(p.processor.stats()).toMatchObject({ callsOpen: 2, callsEvicted: 0 });
    p.clock.advance(61_000 + 60_000);
    emit(p, S.INFO, 'tick', 'later'); // a new call reads the clock, and the sweep runs
    expect(p.processor.stats()).toMatchObject({ callsOpen: 2, callsEvicted: 1 });
  });

  test('records that need no time still let the TTL sweep run, every 256th record', () => {
    // Without the template limit, which reads the clock for every record.
    const p = pipeline({ LOG_POLICY_CALL_TTL: '10m', LOG_POLICY_TEMPLATE_LIMIT: 'none' });
    emit(p, S.INFO, 'hello', 'lost');
    emit(p, S.INFO, 'hello', 'busy');
    p.clock.advance(11 * 60_000);
    for (let i = 0; i < 255; i++) emit(p, S.WARN, 'keyless', 'busy');
    expect(p.processor.stats().callsEvicted).toBe(0);
    emit(p, S.WARN, 'keyless', 'busy');
    expect(p.processor.stats().callsEvicted).toBe(2);
  });

  test('beyond LOG_POLICY_MAX_CALLS the oldest call is evicted', () => {
    const p = pipeline({ LOG_POLICY_MAX_CALLS: '2' });
    for (const id of ['a', 'b', 'c']) emit(p, S.INFO, 'x', id);
    expect(p.processor.stats()).toMatchObject({ callsOpen: 2, callsEvicted: 1 });
  });

  test('numeric call ids are accepted', () => {
    const p = pipeline({});
    emit(p, S.INFO, '[DSP] x', 7 as never);
    emit(p, S.INFO, '[DSP] x', '7');
    expect(p.records()).toHaveLength(1);
  });

  test('hostile keys share one overflow slot per call', () => {
    const p = pipeline({ LOG_POLICY_MAX_KEYS: '4' });
    for (let i = 0; i < 1_000; i++) emit(p, S.ERROR, `[K${i}] boom`, 'a');
    // 4 distinct keys pass as first occurrences, the rest are repeats of "(overflow)" (one of which passes first).
    expect(p.records()).toHaveLength(5);
    emit(p, S.INFO, '[CALL_END] x', 'a');
    const summary = p.records().at(-1)!.attributes['log.dropped_by_key'] as unknown as Record<string, number>;
    // Drop counts keep 4 keys and fold the rest into "(overflow)": nothing is lost from the total.
    expect(Object.keys(summary)).toEqual(['K5', 'K6', 'K7', 'K8', '(overflow)']);
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(995);
  });
});
