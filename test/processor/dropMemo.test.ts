import { context, SeverityNumber } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, describe, expect, test } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

/** One way in: the getLogger facade (decides before building, with its drop memo) or the SDK logger's emit (onEmit decides). */
type Way = 'facade' | 'emit';

function loggerOf(p: Pipeline, way: Way, name: string) {
  const facade = getLogger(name, { provider: p.provider });
  const sdk = p.logger(name);
  return (body: string, attributes?: Record<string, string | number>) =>
    way === 'facade'
      ? facade.info(body, attributes)
      : sdk.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body, ...(attributes === undefined ? {} : { attributes }) });
}

/** What a run leaves: the counts, and each exported record's body and attributes (the record uid aside). */
function outcome(p: Pipeline) {
  const { seen, forwarded, dropped, droppedByReason, droppedByKey, afterEnd, callsEvicted, callsOpen } = p.processor.stats();
  const records = p.records().map((r) => {
    const { 'log.record.uid': _uid, ...attributes } = r.attributes;
    return { body: r.body, severity: r.severityNumber, attributes };
  });
  return { seen, forwarded, dropped, droppedByReason, droppedByKey, afterEnd, callsEvicted, callsOpen, records };
}

/**
 * A frame loop's lines in a call, as the memo meets them: long runs of one rate-limited or
 * once-key line (with the clock moving past the interval), runs broken by other lines, a line
 * with its own `log.key` or `call.id`, the call's end with lines after it, and a new call.
 */
function frameLoop(way: Way, env: Record<string, string> = {}) {
  const p = pipeline(env, { global: true });
  const log = loggerOf(p, way, 'server.session');
  const call = startCall('CA-memo');
  call.run(() => {
    for (let i = 0; i < 200; i++) {
      log(`[RMS] rms=${i}`);
      if (i % 7 === 0) log('[DSP] enabled: highpass');
      if (i % 25 === 24) p.clock.advance(4_000); // past the 10 s interval every third time: lines 0, 75 and 150 pass
      if (i === 120) log('[RMS] tagged otherwise', { 'log.key': 'QUEUE' });
      if (i === 130) log('[RMS] for another call', { 'call.id': 'CA-other' });
    }
  });
  call.end();
  call.run(() => {
    for (let i = 0; i < 20; i++) log(`[RMS] after the end ${i}`);
  });
  const next = startCall('CA-next');
  next.run(() => {
    for (let i = 0; i < 30; i++) log(`[DSP] again ${i}`);
  });
  next.end();
  return outcome(p);
}

describe('a facade level remembers its last drop (DropMemo), and counts its repeats exactly as onEmit would', () => {
  afterEach(() => {
    context.disable();
  });

  test('rate limits, once-keys, other keys and calls, the end of a call and a new call', () => {
    const facade = frameLoop('facade');
    const emit = frameLoop('emit');
    expect(facade).toEqual(emit);
    // The run took the paths it claims: repeats were dropped by both rules, some lines passed again after the interval.
    expect(facade.droppedByReason.rate_limit).toBeGreaterThan(150);
    expect(facade.droppedByReason.once).toBeGreaterThan(50);
    expect(facade.records.filter((r) => String(r.body).startsWith('[RMS] rms=')).length).toBe(3);
    expect(facade.afterEnd).toBe(20);
  });

  test('with the context manager NodeSDK registers (a repeat in the same context is known to be the same call)', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const facade = frameLoop('facade');
    const emit = frameLoop('emit');
    expect(facade).toEqual(emit);
    expect(facade.droppedByReason.rate_limit).toBeGreaterThan(150);
  });

  test.each([
    ['no context manager (the package’s own storage carries the calls)', false],
    ['the context manager NodeSDK registers', true],
  ])('two calls whose lines interleave, with %s: each repeat is counted in its own call', (_name, withManager) => {
    if (withManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const run = (way: Way) => {
      const p = pipeline({}, { global: true });
      const log = loggerOf(p, way, 'server.session');
      const a = startCall('CA-a');
      const b = startCall('CA-b');
      for (let i = 0; i < 60; i++) {
        a.run(() => log('[DSP] enabled'));
        b.run(() => log('[DSP] enabled'));
        if (i % 3 === 0) b.run(() => log('[DSP] enabled'));
      }
      a.end();
      b.end();
      const ends = p.records().filter((r) => r.eventName === 'CALL_END');
      return { ...outcome(p), droppedIn: Object.fromEntries(ends.map((r) => [r.attributes['call.id'], r.attributes['log.dropped_count']])) };
    };
    const facade = run('facade');
    expect(facade).toEqual(run('emit'));
    // 59 repeats in CA-a, 79 in CA-b: a repeat counted in the other call would move one between them.
    expect(facade.droppedIn).toEqual({ 'CA-a': 59, 'CA-b': 79 });
  });

  test('the context manager replaced between two lines: the next line is read from the new one', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const p = pipeline({}, { global: true });
    const log = loggerOf(p, 'facade', 'server.session');
    const a = startCall('CA-first');
    a.run(() => {
      for (let i = 0; i < 10; i++) log('[DSP] enabled');
    });
    context.disable();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const b = startCall('CA-second');
    b.run(() => {
      for (let i = 0; i < 10; i++) log('[DSP] enabled');
    });
    a.end();
    b.end();
    // Each call passed its own first line: the second call's were not read in the first call's context.
    expect(
      p
        .records()
        .filter((r) => r.body === '[DSP] enabled')
        .map((r) => r.attributes['call.id']),
    ).toEqual(['CA-first', 'CA-second']);
    expect(p.processor.stats().droppedByReason.once).toBe(18);
  });

  test('in development (no template limit: the clock is read only when a rule needs it)', () => {
    const env = { DEBUG: '0' };
    expect(frameLoop('facade', env)).toEqual(frameLoop('emit', env));
  });

  test('a call evicted by its TTL while its frame loop runs: the next line opens a new state, as onEmit does', () => {
    const run = (way: Way) => {
      const p = pipeline({ LOG_POLICY_CALL_TTL: '60s' }, { global: true });
      const log = loggerOf(p, way, 'server.session');
      const call = startCall('CA-long');
      call.run(() => {
        for (let i = 0; i < 100; i++) {
          log('[DSP] enabled');
          if (i === 50) p.clock.advance(61_000);
        }
      });
      return outcome(p);
    };
    const facade = run('facade');
    expect(facade).toEqual(run('emit'));
    expect(facade.callsEvicted).toBe(1);
  });

  test('an escalated call (development rules, its own thresholds) counts as onEmit does', () => {
    const run = (way: Way) => {
      const p = pipeline({}, { global: true });
      const log = loggerOf(p, way, 'server.session');
      const call = startCall('CA-verbose', { 'log.policy.mode': 'development' });
      call.run(() => {
        for (let i = 0; i < 40; i++) log(`[RMS] rms=${i}`);
      });
      call.end();
      return outcome(p);
    };
    expect(run('facade')).toEqual(run('emit'));
  });
});
