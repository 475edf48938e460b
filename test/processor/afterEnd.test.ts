import { SeverityNumber as S } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { CallStore } from '../../src/state/CallStore.ts';
import { KeyBudget } from '../../src/state/KeyBudget.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

function emit(p: Pipeline, severity: S, body: string, callId: string, attributes: Record<string, unknown> = {}) {
  p.logger('server.app').emit({ severityNumber: severity, body, attributes: { 'call.id': callId, ...attributes } });
}
const lifecycle = (p: Pipeline, key: 'CALL_START' | 'CALL_END', callId: string) =>
  p.logger('otel-log-policy').emit({ eventName: key, severityNumber: S.INFO, body: `[${key}] ${callId}`, attributes: { 'call.id': callId } });
const ofCall = (p: Pipeline, id: string) =>
  p
    .records()
    .filter((r) => r.attributes['call.id'] === id)
    .map((r) => String(r.body));

describe('a record logged in a call after its CALL_END', () => {
  test('carries the call id, is counted in afterEnd, and does not re-open the call', () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production' });
    lifecycle(p, 'CALL_START', 'c1');
    emit(p, S.INFO, 'inside', 'c1');
    lifecycle(p, 'CALL_END', 'c1');
    emit(p, S.WARN, 'Disconnected from the model', 'c1');
    expect(ofCall(p, 'c1')).toEqual(['[CALL_START] c1', 'inside', '[CALL_END] c1', 'Disconnected from the model']);
    const stats = p.processor.stats();
    expect(stats.afterEnd).toBe(1);
    expect(stats.callsOpen).toBe(0);
    // The summary stays the one of CALL_END: the late record is not in it.
    const end = p.records().find((r) => r.body === '[CALL_END] c1')!;
    expect(end.attributes['log.produced_count']).toBe(3);
  });

  test("is held to the ended call's rules: its spent budget and once-keys stay spent (no fresh budget)", () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production', LOG_POLICY_CALL_BUDGET: '2' });
    lifecycle(p, 'CALL_START', 'c2');
    emit(p, S.INFO, '[DSP] on', 'c2');
    emit(p, S.INFO, 'one', 'c2');
    emit(p, S.INFO, 'two', 'c2');
    lifecycle(p, 'CALL_END', 'c2');
    emit(p, S.INFO, 'late info', 'c2');
    emit(p, S.INFO, '[DSP] on', 'c2');
    emit(p, S.ERROR, 'late error', 'c2');
    // The budget of 2 was spent by 'one' and 'two' (a once-key spends none): the late INFO is over it.
    expect(ofCall(p, 'c2')).toEqual(['[CALL_START] c2', '[DSP] on', 'one', 'two', '[CALL_END] c2', 'late error']);
    const stats = p.processor.stats();
    expect(stats.afterEnd).toBe(3);
    expect(stats.droppedByReason.budget).toBe(1);
    expect(stats.droppedByReason.once).toBe(1);
    expect(stats.callsOpen).toBe(0);
  });

  test("with a call tail on, a late record over the budget is dropped and counted, not held in the ended call's tail", () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production', LOG_POLICY_CALL_BUDGET: '1', LOG_POLICY_CALL_TAIL: '5' });
    lifecycle(p, 'CALL_START', 'c5');
    emit(p, S.INFO, 'one', 'c5');
    lifecycle(p, 'CALL_END', 'c5');
    emit(p, S.INFO, 'late', 'c5');
    expect(ofCall(p, 'c5')).toEqual(['[CALL_START] c5', 'one', '[CALL_END] c5']);
    expect(p.processor.stats()).toMatchObject({ afterEnd: 1, droppedByReason: { budget: 1 } });
  });

  test('a new CALL_START with the id opens a new call, with its own budget and summary', () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production', LOG_POLICY_CALL_BUDGET: '1' });
    lifecycle(p, 'CALL_START', 'c3');
    emit(p, S.INFO, 'first call', 'c3');
    lifecycle(p, 'CALL_END', 'c3');
    lifecycle(p, 'CALL_START', 'c3');
    emit(p, S.INFO, 'second call', 'c3');
    expect(p.processor.stats()).toMatchObject({ callsOpen: 1, afterEnd: 0 });
    lifecycle(p, 'CALL_END', 'c3');
    expect(ofCall(p, 'c3')).toEqual(['[CALL_START] c3', 'first call', '[CALL_END] c3', '[CALL_START] c3', 'second call', '[CALL_END] c3']);
    expect(p.records().at(-1)!.attributes['log.produced_count']).toBe(3);
  });

  test('a second CALL_END passes as a late record and neither re-ends the call nor summarizes it again', () => {
    const p = pipeline({});
    lifecycle(p, 'CALL_START', 'c4');
    lifecycle(p, 'CALL_END', 'c4');
    lifecycle(p, 'CALL_END', 'c4');
    const ends = p.records().filter((r) => r.body === '[CALL_END] c4');
    expect(ends[0]!.attributes['log.produced_count']).toBe(2);
    expect(ends[1]!.attributes['log.produced_count']).toBeUndefined();
    expect(p.processor.stats()).toMatchObject({ callsOpen: 0, afterEnd: 1 });
  });
});

describe('CallStore: recently ended calls', () => {
  test('are bounded: the oldest is forgotten, and a late record of it then opens a new state', () => {
    const keys = new KeyBudget(64, 1000);
    const store = new CallStore(60_000, 100, 0, keys, 2);
    for (const id of ['a', 'b', 'c']) {
      store.get(id, 0);
      store.end(id);
    }
    expect(store.endedKept).toBe(2);
    expect(store.peek('a')).toBeUndefined();
    expect(store.peek('b')?.ended).toBe(true);
    expect(store.open).toBe(0);
  });

  test('give back the key room a late record took, once, when forgotten', () => {
    const keys = new KeyBudget(64, 1000);
    const store = new CallStore(60_000, 100, 0, keys, 1);
    store.get('a', 0).countDrop(0, 'K1');
    store.end('a');
    expect(keys.used).toBe(0);
    store.peek('a')!.countDrop(0, 'K2');
    expect(keys.used).toBe(1);
    store.get('b', 0);
    store.end('b'); // pushes 'a' out of the ended set
    expect(keys.used).toBe(0);
  });
});
