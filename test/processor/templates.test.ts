import { SeverityNumber as S } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

function emit(p: Pipeline, severity: S, body: string, callId?: string, attributes: Record<string, unknown> = {}) {
  p.logger('server.app').emit({ severityNumber: severity, body, attributes: callId === undefined ? attributes : { 'call.id': callId, ...attributes } } as never);
}

const summaryOf = (p: Pipeline) => p.records().find((r) => r.attributes['log.key'] === 'CALL_END')!.attributes as Record<string, unknown>;
const FRAME = 'Received media message with timestamp: <n>';

describe('template keys on records', () => {
  test('a keyless record gets log.template; a keyed one keeps its key and gets none', () => {
    const p = pipeline({});
    emit(p, S.INFO, 'Received media message with timestamp: 1234ms');
    emit(p, S.INFO, '[TX_SLOW] q=3');
    emit(p, S.INFO, 'with a key', undefined, { 'log.key': 'K' });
    const [frame, tagged, keyed] = p.records();
    expect(frame!.attributes['log.template']).toBe(FRAME);
    expect(tagged!.attributes).not.toHaveProperty('log.template');
    expect(keyed!.attributes).not.toHaveProperty('log.template');
  });

  test('a log.template attribute set by the app or a bridge is used instead of one computed from the body', () => {
    const p = pipeline({});
    for (let i = 0; i < 5; i++) emit(p, S.INFO, `event ${i} ${'x'.repeat(i)}`, undefined, { 'log.template': 'event' });
    expect(p.records()).toHaveLength(3);
    expect(p.records().every((r) => r.attributes['log.template'] === 'event')).toBe(true);
  });
});

describe('template limit (LOG_POLICY_TEMPLATE_LIMIT, default 3/10s in production)', () => {
  test('production: the first 3 pass, then one per 10 s carrying log.suppressed_count; per call', () => {
    const p = pipeline({});
    for (let ms = 0; ms < 25_000; ms += 20) {
      emit(p, S.INFO, `Received media message with timestamp: ${ms}ms`, 'a');
      p.clock.advance(20);
    }
    emit(p, S.INFO, 'Received media message with timestamp: 1ms', 'b'); // another call has its own count
    const a = p.records().filter((r) => r.attributes['call.id'] === 'a');
    expect(a.map((r) => r.body)).toEqual([
      'Received media message with timestamp: 0ms',
      'Received media message with timestamp: 20ms',
      'Received media message with timestamp: 40ms',
      'Received media message with timestamp: 10040ms',
      'Received media message with timestamp: 20040ms',
    ]);
    expect(a.map((r) => r.attributes['log.suppressed_count'])).toEqual([undefined, undefined, undefined, 499, 499]);
    expect(p.records().filter((r) => r.attributes['call.id'] === 'b')).toHaveLength(1);
    expect(p.processor.stats().droppedByReason.template).toBe(1250 - 5);
  });

  test('development: no template limit', () => {
    const p = pipeline({ DEBUG: '0' });
    for (let i = 0; i < 100; i++) emit(p, S.INFO, `frame ${i}`, 'a');
    expect(p.records()).toHaveLength(100);
    expect(p.processor.stats().droppedByReason.template).toBe(0);
  });

  test.each(['0', 'none', 'NONE'])('LOG_POLICY_TEMPLATE_LIMIT=%s turns it off', (value) => {
    const p = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: value });
    for (let i = 0; i < 50; i++) emit(p, S.INFO, `tick ${i}`);
    expect(p.records()).toHaveLength(50);
  });

  test('LOG_POLICY_TEMPLATE_LIMIT=1/5s in development, and it limits keys as well as templates', () => {
    const p = pipeline({ DEBUG: '0', LOG_POLICY_TEMPLATE_LIMIT: '1/5s' });
    for (let i = 0; i < 10; i++) emit(p, S.INFO, `[POLL] round ${i}`);
    p.clock.advance(5_000);
    emit(p, S.INFO, '[POLL] round 10');
    expect(p.bodies()).toEqual(['[POLL] round 0', '[POLL] round 10']);
    expect(p.records()[1]!.attributes['log.suppressed_count']).toBe(9);
  });

  test('explicit rate limits and once-keys win over it; macro events and ERROR are not governed by it', () => {
    const p = pipeline({ LOG_POLICY_RATE_LIMITS: 'FAST=1ms', LOG_POLICY_ONCE: 'ONE', LOG_POLICY_CALL_BUDGET: '0' });
    for (let i = 0; i < 10; i++) {
      emit(p, S.INFO, `[FAST] ${i}`, 'a');
      emit(p, S.INFO, `[ONE] ${i}`, 'a');
      emit(p, S.INFO, `[REALTIME] ${i}`, 'a');
      p.clock.advance(1);
    }
    emit(p, S.ERROR, 'boom', 'a');
    expect(p.keys('FAST')).toHaveLength(10);
    expect(p.keys('ONE')).toHaveLength(1);
    expect(p.keys('REALTIME')).toHaveLength(10);
    expect(p.bodies()).toContain('boom');
    expect(p.processor.stats().droppedByReason.template).toBe(0);
  });

  test('WARN is limited too (only ERROR has its own repeat rule)', () => {
    const p = pipeline({});
    for (let i = 0; i < 10; i++) emit(p, S.WARN, `retrying in ${i}s`);
    expect(p.records()).toHaveLength(3);
  });

  test('outside calls the limit is per process, so a server that opens no call sends a bounded number of lines', () => {
    const p = pipeline({});
    for (let s = 0; s < 600; s++) {
      for (let i = 0; i < 10; i++) emit(p, S.INFO, `health check ok in ${i}ms`);
      p.clock.advance(1_000);
    }
    // 3, then one per 10 s for 10 minutes.
    expect(p.records()).toHaveLength(3 + 59);
    expect(p.records().at(-1)!.attributes['log.suppressed_count']).toBe(99);
  });

  test('an escalated call has no template limit', () => {
    const p = pipeline({ LOG_POLICY_VERBOSE_CALLS: 'v' });
    for (let i = 0; i < 40; i++) emit(p, S.INFO, `frame ${i}`, 'v');
    expect(p.records()).toHaveLength(40);
  });

  test('template tables are bounded by LOG_POLICY_MAX_KEYS: beyond it new templates share one overflow row', () => {
    const p = pipeline({ LOG_POLICY_MAX_KEYS: '4', LOG_POLICY_CALL_BUDGET: '0' });
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    for (const word of words) for (let i = 0; i < 5; i++) emit(p, S.INFO, `${word} ${i}`, 'a');
    // 4 templates with a row of their own pass 3 each; the other 6 share the overflow row's 3.
    expect(p.records()).toHaveLength(4 * 3 + 3);
    expect(p.processor.stats().keysOverflowed).toBeGreaterThan(0);
  });

  test('outside calls a full table reuses rows that hold nothing (idle for the interval)', () => {
    const p = pipeline({ LOG_POLICY_MAX_KEYS: '2' });
    emit(p, S.INFO, 'started alpha');
    emit(p, S.INFO, 'started bravo');
    p.clock.advance(10_000);
    for (let i = 0; i < 5; i++) emit(p, S.INFO, `frame ${i}`);
    expect(p.records()).toHaveLength(2 + 3);
  });
});

describe('budget share (LOG_POLICY_TEMPLATE_SHARE, default 25%)', () => {
  test('one template spends at most a quarter of the budget; other lines still pass', () => {
    const p = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_CALL_TAIL: '0' });
    for (let i = 0; i < 100; i++) emit(p, S.INFO, `frame ${i}`, 'a');
    emit(p, S.INFO, 'Received non-media event: stop', 'a');
    expect(p.records()).toHaveLength(5 + 1);
    expect(p.processor.stats().droppedByReason.budget_share).toBe(95);
  });

  test('100 lets one template spend the whole budget', () => {
    const p = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_CALL_TAIL: '0', LOG_POLICY_TEMPLATE_SHARE: '100%' });
    for (let i = 0; i < 100; i++) emit(p, S.INFO, `frame ${i}`, 'a');
    expect(p.records()).toHaveLength(20);
  });
});

describe('call tail (LOG_POLICY_CALL_TAIL, default 5)', () => {
  test("past the budget less its tail and the call's two lifecycle slots, the last 5 records are held and sent just before CALL_END, and counted", () => {
    const p = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_TEMPLATE_SHARE: '100' });
    for (let i = 0; i < 30; i++) emit(p, S.INFO, `line ${i}`, 'a');
    expect(p.records()).toHaveLength(13); // 20 less 5 for the tail, less 2 for CALL_START and CALL_END
    emit(p, S.INFO, 'Client disconnected.', 'a');
    emit(p, S.INFO, '[CALL_END] done', 'a');
    expect(p.bodies().slice(13)).toEqual(['line 26', 'line 27', 'line 28', 'line 29', 'Client disconnected.', '[CALL_END] done']);
    expect(
      p
        .records()
        .slice(13, 18)
        .every((r) => r.attributes['log.tail'] === true && r.attributes['call.id'] === 'a'),
    ).toBe(true);
    expect(summaryOf(p)).toMatchObject({
      'log.tail_count': 5,
      'log.produced_count': 32,
      'log.forwarded_count': 19,
      'log.dropped_count': 13,
      'log.dropped_by_reason': { budget: 13 },
    });
    expect(p.processor.stats()).toMatchObject({ tailSent: 5, forwarded: 19, dropped: 13 });
  });

  test('LOG_POLICY_CALL_TAIL=0: records past the budget are dropped; the tail takes at most half the budget', () => {
    const off = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_TEMPLATE_SHARE: '100', LOG_POLICY_CALL_TAIL: '0' });
    const small = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_TEMPLATE_SHARE: '100', LOG_POLICY_CALL_BUDGET: '4' });
    for (const p of [off, small]) {
      for (let i = 0; i < 30; i++) emit(p, S.INFO, `line ${i}`, 'a');
      emit(p, S.INFO, '[CALL_END] done', 'a');
    }
    expect(off.records()).toHaveLength(21);
    expect(summaryOf(off)['log.tail_count']).toBe(0);
    expect(small.bodies()).toEqual(['line 0', 'line 1', 'line 28', 'line 29', '[CALL_END] done']);
  });

  test('a call evicted without CALL_END drops what its tail held, counted under budget', () => {
    const p = pipeline({ LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_TEMPLATE_SHARE: '100', LOG_POLICY_MAX_CALLS: '1' });
    for (let i = 0; i < 20; i++) emit(p, S.INFO, `line ${i}`, 'a');
    emit(p, S.INFO, 'first of b', 'b'); // evicts a
    expect(p.records()).toHaveLength(14); // 13 of a, then b's first
    expect(p.processor.stats().droppedByReason.budget).toBe(7);
  });
});

describe('a Twilio-style per-frame stream, 50/s for 60 s in one call, no tags anywhere', () => {
  /** The lines of the public Twilio + OpenAI Realtime sample, with its per-frame flag on. */
  function twilioCall(p: Pipeline, id: string): void {
    const say = (body: string) => emit(p, S.INFO, body, id);
    emit(p, S.INFO, '[CALL_START] inbound', id);
    say('Client connected');
    say(`Incoming stream has started MZ${'0123456789abcdef'.repeat(2)}`);
    say('Received non-media event: start');
    for (let frame = 0; frame < 3_000; frame++) {
      say(`Received media message with timestamp: ${frame * 20}ms`);
      if (frame % 250 === 100) say(`Received event: input_audio_buffer.speech_started ${JSON.stringify({ event_id: `event_${frame}`, audio_start_ms: frame * 20 })}`);
      if (frame % 250 === 200) say(`Received event: response.done ${JSON.stringify({ event_id: `event_${frame}`, response: { id: `resp_${frame}`, status: 'completed' } })}`);
      p.clock.advance(20);
    }
    say('Received non-media event: stop');
    say('Client disconnected.');
    emit(p, S.INFO, '[CALL_END] caller hung up', id);
  }

  test('production: at most 20 records in all, CALL_START and CALL_END included, the last lines kept, the counts in CALL_END', () => {
    const p = pipeline({});
    twilioCall(p, 'CA1');
    const bodies = p.bodies() as string[];
    // The budget of 20 holds the call's lines and its two lifecycle events (CALL_START, CALL_END
    // with the summary), which always pass: 13 live, 5 in the tail, 2 for the lifecycle.
    expect(bodies.length).toBeLessThanOrEqual(20);
    expect(p.records().filter((r) => r.eventName === undefined).length).toBeLessThanOrEqual(18);
    expect(bodies.slice(-3)).toEqual(['Received non-media event: stop', 'Client disconnected.', '[CALL_END] caller hung up']);
    const frames = p.records().filter((r) => r.attributes['log.template'] === FRAME);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThanOrEqual(5); // its share of the budget at most
    const summary = summaryOf(p);
    expect(summary['log.produced_count']).toBe(3_000 + 24 + 7);
    expect(summary['log.forwarded_count']).toBe(bodies.length);
    const byReason = summary['log.dropped_by_reason'] as Record<string, number>;
    expect(byReason['template']).toBeGreaterThan(2_900);
    const top = summary['log.suppressed_templates'] as string[];
    const [count, ...rest] = top[0]!.split(' ');
    expect(rest.join(' ')).toBe(FRAME);
    expect(Number(count)).toBeGreaterThan(2_900);
    expect(top.length).toBeLessThanOrEqual(5);
    console.info(`Twilio-style call, production: ${bodies.length} records exported; dropped by reason ${JSON.stringify(byReason)}`);
  });

  test('development: the call in full', () => {
    const p = pipeline({ DEBUG: '0' });
    twilioCall(p, 'CA1');
    expect(p.records()).toHaveLength(3_000 + 24 + 7);
  });
});

describe('CALL_END lists the top suppressed templates, bounded', () => {
  test('at most 5, most suppressed first', () => {
    const p = pipeline({ LOG_POLICY_CALL_BUDGET: '0' });
    for (let t = 0; t < 8; t++) for (let i = 0; i < 4 + t; i++) emit(p, S.INFO, `${'abcdefgh'[t]!.repeat(3)} ${i}`, 'a');
    emit(p, S.INFO, '[CALL_END] done', 'a');
    expect(summaryOf(p)['log.suppressed_templates']).toEqual(['8 hhh <n>', '7 ggg <n>', '6 fff <n>', '5 eee <n>', '4 ddd <n>']);
  });

  test('through the production pipeline, the templates listed on CALL_END are redacted like any value', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const [policy] = logPolicyProcessors({ config: loadPolicyConfig({}), exporter });
    const provider = new LoggerProvider({ processors: [policy] });
    const logger = provider.getLogger('server.app');
    for (let i = 0; i < 10; i++) logger.emit({ severityNumber: S.INFO, body: `mail to jane.doe@example.com failed ${i}`, attributes: { 'call.id': 'a' } });
    logger.emit({ severityNumber: S.INFO, body: '[CALL_END] done', attributes: { 'call.id': 'a' } });
    await provider.forceFlush();
    const end = exporter.getFinishedLogRecords().at(-1)!;
    const listed = (end.attributes['log.suppressed_templates'] as string[]).join('\n');
    expect(listed).toContain('7 mail to');
    expect(listed).not.toContain('jane.doe@example.com');
    expect(exporter.getFinishedLogRecords()[0]!.attributes['log.template']).not.toContain('jane.doe@example.com');
  });
});
