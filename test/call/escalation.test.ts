import { context, propagation, ROOT_CONTEXT, SeverityNumber as S } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { afterEach, describe, expect, test } from 'vitest';
import { startCall, type CallScope } from '../../src/api/callScope.ts';
import { describeEscalation, escalatedConfig } from '../../src/pipeline/hooks/escalation.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { CompiledPolicy } from '../../src/policy/CompiledPolicy.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

afterEach(() => {
  context.disable();
  propagation.disable();
});

/** One call's worth of logging: DEBUG detail, a noisy module at INFO, and 30 INFO lines (over the budget of 20). */
function talk(call: CallScope): void {
  call.run(() => {
    getLogger('server.app').debug('vad: speech start');
    getLogger('openai').info('response.create sent');
    for (let i = 0; i < 30; i++) getLogger('server.app').info(`turn ${i}`);
  });
  call.end();
}

const bodiesOf = (p: Pipeline, id: string) =>
  p
    .records()
    .filter((r) => r.attributes['call.id'] === id)
    .map((r) => String(r.body));

/** The escalated call logs everything; the production call beside it keeps its thresholds and budget. */
function expectOnlyEscalated(p: Pipeline, escalated: string, other: string, route: string): void {
  const verbose = bodiesOf(p, escalated);
  expect(verbose).toContain('vad: speech start');
  expect(verbose).toContain('response.create sent');
  expect(verbose.filter((b) => b.startsWith('turn '))).toHaveLength(30);
  expect(p.records().find((r) => r.attributes['call.id'] === escalated)!.attributes['log.policy.escalated']).toBe(route);
  const quiet = bodiesOf(p, other);
  expect(quiet).not.toContain('vad: speech start');
  expect(quiet).not.toContain('response.create sent');
  // The production template limit: "turn <n>" passes 3 times, then once per 10 s (the escalated call has none).
  expect(quiet.filter((b) => b.startsWith('turn ')).length).toBe(3);
  expect(p.records().find((r) => r.attributes['call.id'] === other)!.attributes['log.policy.escalated']).toBeUndefined();
}

describe('per-call escalation, by each route', () => {
  test('startCall(id, { "log.policy.mode": "development" })', () => {
    const p = pipeline({}, { global: true });
    const verbose = startCall('v-1', { 'log.policy.mode': 'development' });
    const other = startCall('p-1');
    expect(p.processor.stats().callsEscalated).toBe(1);
    talk(verbose);
    talk(other);
    expectOnlyEscalated(p, 'v-1', 'p-1', 'attribute');
    expect(p.processor.stats().callsEscalated).toBe(0);
  });

  test('LOG_POLICY_VERBOSE_CALLS=<exact ids>', () => {
    const p = pipeline({ LOG_POLICY_VERBOSE_CALLS: 'CA-42,CA-43' }, { global: true });
    const verbose = startCall('CA-42');
    const other = startCall('CA-4');
    talk(verbose);
    talk(other);
    expectOnlyEscalated(p, 'CA-42', 'CA-4', 'env');
  });

  test('a W3C baggage header log.policy.verbose=1 on the context that starts the call', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CBaggagePropagator());
    const p = pipeline({}, { global: true });
    const incoming = propagation.extract(ROOT_CONTEXT, { baggage: 'tenant=acme,log.policy.verbose=1' });
    const verbose = context.with(incoming, () => startCall('b-1'));
    const plain = propagation.extract(ROOT_CONTEXT, { baggage: 'tenant=acme' });
    const other = context.with(plain, () => startCall('b-2'));
    talk(verbose);
    talk(other);
    expectOnlyEscalated(p, 'b-1', 'b-2', 'baggage');
  });

  test('baggage with another value does not escalate', () => {
    const p = pipeline({}, { global: true });
    const ctx = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'log.policy.verbose': { value: '0' } }));
    p.logger('server.app').emit({ severityNumber: S.INFO, body: 'first', attributes: { 'call.id': 'x' }, context: ctx });
    expect(p.processor.stats().callsEscalated).toBe(0);
  });
});

describe('escalation lifecycle', () => {
  test('getLogger binds DEBUG while an escalated call is open, and unbinds it when the last one ends', () => {
    const p = pipeline({}, { global: true });
    const log = getLogger('server.app');
    expect(log.isEnabled('debug')).toBe(false);
    const a = startCall('a', { 'log.policy.mode': 'development' });
    const b = startCall('b', { 'log.policy.mode': 'DEVELOPMENT' });
    const plain = startCall('c');
    // No static answer while escalated calls are open: isEnabled asks enabled() with the current call.
    expect(a.run(() => log.isEnabled('debug'))).toBe(true);
    expect(plain.run(() => log.isEnabled('debug'))).toBe(false);
    expect(log.isEnabled('debug')).toBe(false);
    expect(a.run(() => log.isEnabled('trace'))).toBe(false); // development thresholds stop at DEBUG
    a.end();
    expect(b.run(() => log.isEnabled('debug'))).toBe(true);
    b.end();
    plain.end();
    expect(p.processor.stats().callsEscalated).toBe(0);
    // The next call sees the gate's new epoch and rebinds: debug is a no-op again, nothing built.
    const seen = p.processor.stats().seen;
    log.debug('after the last escalated call');
    expect(log.debug.name).toBe('noop');
    expect(p.processor.stats().seen).toBe(seen);
  });

  test('an escalated call evicted by its TTL is no longer counted as open', () => {
    const p = pipeline({ LOG_POLICY_CALL_TTL: '1m' }, { global: true });
    startCall('lost', { 'log.policy.mode': 'development' });
    expect(p.processor.stats().callsEscalated).toBe(1);
    p.clock.advance(5 * 60_000);
    p.logger('x').emit({ severityNumber: S.WARN, body: 'tick', attributes: { 'call.id': 'next' } }); // a new call reads the clock
    expect(p.processor.stats()).toMatchObject({ callsEscalated: 0, callsEvicted: 1 });
  });

  test('escalation and the recorder together: the escalated call passes what the recorder would have kept', () => {
    const p = pipeline({ LOG_POLICY_RECORDER: '50' }, { global: true });
    talk(startCall('v', { 'log.policy.mode': 'development' }));
    expect(bodiesOf(p, 'v')).toContain('vad: speech start');
    expect(p.processor.stats().recorder).toMatchObject({ recorded: 0 });
  });
});

describe('the escalated policy', () => {
  test("development thresholds with the user's own directives, no budget; never quieter than production", () => {
    const config = loadPolicyConfig({ LOG_POLICY_LEVELS: 'trace,openai=error,server.media_ws_ai=debug', LOG_POLICY_CALL_BUDGET: '5' });
    const escalated = escalatedConfig(config);
    const policy = new CompiledPolicy(escalated);
    expect(escalated.callBudget).toBe(0);
    expect(policy.thresholdOf('server.app')).toBe(S.TRACE); // the configured base was already below DEBUG
    expect(policy.thresholdOf('openai')).toBe(S.ERROR); // the user's directive stays
    expect(policy.thresholdOf('ws')).toBe(S.INFO); // noisy module: development's INFO
    expect(policy.thresholdOf('server.media_ws_ai')).toBe(S.DEBUG);
    const prod = new CompiledPolicy(loadPolicyConfig({}));
    const dev = new CompiledPolicy(escalatedConfig(loadPolicyConfig({})));
    for (const name of ['server.app', 'openai', 'openai.realtime', 'ws', 'undici', 'custom']) {
      expect(dev.thresholdOf(name)).toBeLessThanOrEqual(prod.thresholdOf(name));
    }
    expect(dev.thresholdOf('server.app')).toBe(S.DEBUG);
  });

  test('describeEscalation (for explain --call) knows the env list and names the run-time routes', () => {
    const config = loadPolicyConfig({ LOG_POLICY_VERBOSE_CALLS: 'CA-42' });
    expect(describeEscalation(config, 'CA-42')).toMatchObject({ escalated: true, reason: expect.stringContaining('LOG_POLICY_VERBOSE_CALLS') });
    const other = describeEscalation(config, 'CA-7');
    expect(other.escalated).toBe(false);
    expect(other.reason).toContain("'log.policy.mode': 'development'");
    expect(other.reason).toContain('log.policy.verbose=1');
  });
});
