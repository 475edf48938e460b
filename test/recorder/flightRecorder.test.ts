import { context, ROOT_CONTEXT, SeverityNumber as S } from '@opentelemetry/api';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, test } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { CALL_ID_KEY } from '../../src/state/callContext.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { LogPolicyProcessor } from '../../src/pipeline/LogPolicyProcessor.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

/**
 * A record logged inside call `callId` (the call id in its context, as `CallScope.run` puts it:
 * enabled() sees no attributes), with an explicit timestamp in ms so flushed records can be checked.
 */
function emit(p: Pipeline, severity: S, body: string, callId: string | undefined, timestamp: number) {
  const ctx = callId === undefined ? ROOT_CONTEXT : ROOT_CONTEXT.setValue(CALL_ID_KEY, callId);
  p.logger('server.app').emit({ severityNumber: severity, body, timestamp: T0 + timestamp, context: ctx });
}

/** Epoch ms (smaller numbers would be read as performance.now() times). */
const T0 = 1_700_000_000_000;

const ms = (hrTime: readonly [number, number]) => Math.round(hrTime[0] * 1_000 + hrTime[1] / 1e6 - T0);
const recordedFlags = (p: Pipeline) => p.records().map((r) => r.attributes['log.recorded'] === true);

afterEach(() => context.disable());

describe('flight recorder (LOG_POLICY_RECORDER)', () => {
  test('an ERROR in the middle of a call flushes exactly the ring, in order, with original timestamps, then the error', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '3', LOG_POLICY_RATE_LIMITS: 'RMS=10s' });
    emit(p, S.INFO, '[CALL_START] go', 'a', 1_000);
    emit(p, S.DEBUG, 'd1', 'a', 1_001); // threshold
    emit(p, S.DEBUG, 'd2', 'a', 1_002); // threshold (d1 and d2 are pushed out of the 3-record ring by d3 and d4)
    emit(p, S.INFO, '[RMS] 1', 'a', 1_003); // passes
    emit(p, S.INFO, '[RMS] 2', 'a', 1_004); // rate limit
    emit(p, S.DEBUG, 'other call', 'b', 1_005); // another call's ring
    emit(p, S.DEBUG, 'outside any call', undefined, 1_006); // never recorded
    emit(p, S.DEBUG, 'd3', 'a', 1_007);
    emit(p, S.DEBUG, 'd4', 'a', 1_008);
    expect(p.bodies()).toEqual(['[CALL_START] go', '[RMS] 1']);
    emit(p, S.ERROR, 'caller hears silence', 'a', 1_009);
    expect(p.bodies()).toEqual(['[CALL_START] go', '[RMS] 1', '[RMS] 2', 'd3', 'd4', 'caller hears silence']);
    expect(recordedFlags(p)).toEqual([false, false, true, true, true, false]);
    expect(p.records().map((r) => ms(r.hrTime))).toEqual([1_000, 1_003, 1_004, 1_007, 1_008, 1_009]);
    expect(p.records()[3]!.severityNumber).toBe(S.DEBUG);
    expect(p.records()[3]!.attributes['call.id']).toBe('a');
    expect(p.processor.stats().recorder).toMatchObject({ recorded: 6, flushed: 3, evicted: 2, callsRecording: 1 });
    // The ring is empty after a flush: a second error flushes nothing new.
    emit(p, S.ERROR, 'another error', 'a', 1_010);
    expect(p.records()).toHaveLength(7);
  });

  test('a SERVER_ERROR event flushes too; after a failure, what the call kept since goes out before CALL_END', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '10' });
    emit(p, S.DEBUG, 'before', 'a', 1);
    emit(p, S.INFO, '[SERVER_ERROR] webhook 500', 'a', 2);
    emit(p, S.DEBUG, 'after', 'a', 3);
    emit(p, S.INFO, '[CALL_END] done', 'a', 4);
    expect(p.bodies()).toEqual(['before', '[SERVER_ERROR] webhook 500', 'after', '[CALL_END] done']);
    expect(p.records().at(-1)!.attributes['log.dropped_count']).toBe(2);
  });

  test('LOG_POLICY_RECORDER_FLUSH_ON=SERVER_ERROR: a recoverable ERROR keeps the ring, the SERVER_ERROR flushes it', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '10', LOG_POLICY_RECORDER_FLUSH_ON: 'SERVER_ERROR' });
    emit(p, S.DEBUG, 'd1', 'a', 1);
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a', 2);
    emit(p, S.DEBUG, 'd2', 'a', 3);
    expect(p.bodies()).toEqual(['[DSP] ERROR: clip']);
    emit(p, S.ERROR, '[SERVER_ERROR] realtime session crashed', 'a', 4);
    expect(p.bodies()).toEqual(['[DSP] ERROR: clip', 'd1', 'd2', '[SERVER_ERROR] realtime session crashed']);
  });

  test('a clean call flushes nothing: CALL_END discards its ring, and counts it', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '200' });
    emit(p, S.INFO, '[CALL_START] go', 'a', 1);
    for (let i = 0; i < 50; i++) emit(p, S.DEBUG, `d${i}`, 'a', 2 + i);
    emit(p, S.WARN, 'a warning does not flush', 'a', 60);
    emit(p, S.INFO, '[CALL_END] done', 'a', 61);
    expect(p.bodies()).toEqual(['[CALL_START] go', 'a warning does not flush', '[CALL_END] done']);
    expect(recordedFlags(p).some(Boolean)).toBe(false);
    expect(p.processor.stats().recorder).toMatchObject({ recorded: 50, flushed: 0, discarded: 50, callsRecording: 0, bytes: 0 });
    // The call is gone: an error under the same id later has nothing to flush.
    emit(p, S.ERROR, 'late', 'a', 70);
    expect(p.records()).toHaveLength(4);
  });

  test('repeated errors are not recorded, and a repeat dropped does not flush', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '10' });
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a', 1);
    emit(p, S.DEBUG, 'between', 'a', 2);
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a', 3); // dropped as a repeat: not kept, no flush
    expect(p.bodies()).toEqual(['[DSP] ERROR: clip']);
    expect(p.processor.stats().recorder).toMatchObject({ recorded: 1 });
    p.clock.advance(30_000);
    emit(p, S.ERROR, '[DSP] ERROR: clip', 'a', 4); // the downgraded report flushes
    expect(p.bodies()).toEqual(['[DSP] ERROR: clip', 'between', '[DSP] ERROR: clip (repeated 2 times since the last report)']);
  });

  test('caps hold under a flood: the last n records of a call', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '50' });
    for (let i = 0; i < 10_000; i++) emit(p, S.DEBUG, `d${i}`, 'a', i);
    expect(p.processor.stats().recorder).toMatchObject({ recorded: 10_000, evicted: 9_950 });
    emit(p, S.ERROR, 'boom', 'a', 10_000);
    const bodies = p.bodies();
    expect(bodies).toHaveLength(51);
    expect(bodies[0]).toBe('d9950');
    expect(bodies[49]).toBe('d9999');
  });

  test('caps hold under a flood: bytes per call', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '100000', LOG_POLICY_RECORDER_BYTES: '16KiB' });
    const body = 'x'.repeat(1_000);
    for (let i = 0; i < 1_000; i++) {
      emit(p, S.DEBUG, `${i} ${body}`, 'a', i);
      expect(p.processor.stats().recorder!.bytes).toBeLessThanOrEqual(16 * 1024);
    }
    emit(p, S.ERROR, 'boom', 'a', 2_000);
    const flushed = p.records().filter((r) => r.attributes['log.recorded'] === true);
    // Each record costs a little over 1 KB: about 12 fit in 16 KiB, and they are the newest.
    expect(flushed.length).toBeGreaterThan(5);
    expect(flushed.length).toBeLessThan(16);
    expect(flushed.at(-1)!.body).toMatch(/^999 /);
  });

  test('a record larger than the per-call cap is never kept', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '10', LOG_POLICY_RECORDER_BYTES: '1KiB' });
    emit(p, S.DEBUG, 'y'.repeat(5_000), 'a', 1);
    emit(p, S.DEBUG, 'small', 'a', 2);
    emit(p, S.ERROR, 'boom', 'a', 3);
    expect(p.bodies()).toEqual(['small', 'boom']);
    expect(p.processor.stats().recorder).toMatchObject({ tooLarge: 1, recorded: 1 });
  });

  test('caps hold under a flood: bytes across calls, the oldest calls give way first', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '1000', LOG_POLICY_RECORDER_BYTES: '8KiB', LOG_POLICY_RECORDER_TOTAL_BYTES: '32KiB' });
    const body = 'z'.repeat(500);
    for (let call = 0; call < 40; call++) {
      for (let i = 0; i < 30; i++) {
        emit(p, S.DEBUG, `${call}.${i} ${body}`, `c${call}`, call * 100 + i);
        expect(p.processor.stats().recorder!.bytes).toBeLessThanOrEqual(32 * 1024);
      }
    }
    emit(p, S.ERROR, 'boom', 'c0', 9_000);
    expect(p.bodies()).toEqual(['boom']); // the oldest call's records were given up for newer calls
    emit(p, S.ERROR, 'boom', 'c39', 9_001);
    const flushed = p.records().filter((r) => r.attributes['log.recorded'] === true);
    expect(flushed.length).toBeGreaterThan(5);
    expect(flushed.every((r) => String(r.body).startsWith('39.'))).toBe(true);
    expect(flushed.at(-1)!.body).toMatch(/^39\.29 /);
  });

  test('a call evicted by its TTL frees its ring', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '10', LOG_POLICY_CALL_TTL: '1m' });
    emit(p, S.DEBUG, 'lost', 'gone', 1);
    p.clock.advance(2 * 60_000);
    emit(p, S.INFO, 'tick', 'next', 2); // a new call reads the clock
    expect(p.processor.stats()).toMatchObject({ callsEvicted: 1, recorder: { discarded: 1, callsRecording: 0, bytes: 0 } });
  });

  test('off by default: no ring, and enabled() refuses DEBUG inside calls as before', () => {
    const p = pipeline({}, { global: true });
    expect(p.processor.stats().recorder).toBeUndefined();
    const call = startCall('a');
    call.run(() => getLogger('server.app').debug('not built'));
    expect(getLogger('server.app').isEnabled('debug')).toBe(false);
    call.end();
    expect(p.records().at(-1)!.attributes['log.produced_count']).toBe(2);
  });

  test('with the call scope, enabled() lets DEBUG inside calls be built (and only there), and getLogger binds it', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '100' }, { global: true });
    const log = getLogger('server.app');
    log.debug('outside: refused by enabled(), never built');
    expect(p.processor.stats().seen).toBe(0);
    const call = startCall('a');
    call.run(() => {
      expect(log.isEnabled('debug')).toBe(true);
      log.debug('[AUDIO_DELTA] 320 bytes');
      log.debug('vad: speech start');
      log.error('realtime socket closed', { 'exception.type': 'ECONNRESET' });
    });
    call.end();
    expect(log.isEnabled('debug')).toBe(false);
    expect(p.bodies()).toEqual(['[CALL_START] call a started', '[AUDIO_DELTA] 320 bytes', 'vad: speech start', 'realtime socket closed', '[CALL_END] call a ended']);
    expect(recordedFlags(p)).toEqual([false, true, true, false, false]);
  });

  test('through a BatchLogRecordProcessor: flushed records are exported read-only with their timestamps', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const processor = new LogPolicyProcessor(new BatchLogRecordProcessor({ exporter }), { config: loadPolicyConfig({ LOG_POLICY_RECORDER: '5' }) });
    const logger = new LoggerProvider({ processors: [processor] }).getLogger('server.app');
    const ctx = ROOT_CONTEXT.setValue(CALL_ID_KEY, 'a');
    logger.emit({ severityNumber: S.DEBUG, body: 'kept', timestamp: T0 + 5_000, context: ctx });
    logger.emit({ severityNumber: S.ERROR, body: 'boom', timestamp: T0 + 6_000, context: ctx });
    await processor.forceFlush();
    const records = exporter.getFinishedLogRecords();
    expect(records.map((r) => [r.body, ms(r.hrTime), r.attributes['log.recorded']])).toEqual([
      ['kept', 5_000, true],
      ['boom', 6_000, undefined],
    ]);
    await processor.shutdown();
  });
});
