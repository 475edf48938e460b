import { afterEach, describe, expect, test } from 'vitest';
import { runCallScript } from '../../demo/callScript.ts';
import { pipeline } from '../helpers/pipeline.ts';

/** One 3-minute call at 50 frames/s through the real pipeline; the clock is the processor's. */
function oneCall(env: Record<string, string>, options = {}) {
  const p = pipeline(env, { global: true });
  const produced = runCallScript(p.clock, 'call-1', 180, 50, options);
  return { p, produced, exported: p.records().length };
}

describe('the demo call script', () => {
  afterEach(() => {
    pipeline({}, { global: true }); // leave a fresh production pipeline as the global one
  });

  test('production (default): 10-20 records exported per 3-minute call, out of thousands produced', () => {
    const { p, produced, exported } = oneCall({});
    expect(exported).toBeGreaterThanOrEqual(10);
    expect(exported).toBeLessThanOrEqual(20);
    expect(produced).toBeGreaterThan(10_000);
    const keys = p.records().map((r) => r.attributes['log.key'] ?? r.eventName ?? String(r.body).match(/^\[(\w+)\]/)?.[1]);
    for (const macro of ['CALL_START', 'REALTIME', 'DSP', 'CREATE_APPT', 'WEBHOOK_CLOSE', 'CALL_END']) expect(keys).toContain(macro);
    expect(keys.filter((k) => k === 'TX_SLOW').length).toBe(3); // one per burst: rate-limited
    const stats = p.processor.stats();
    expect(stats.droppedByReason.once).toBeGreaterThan(10); // "[DSP] enabled" said on every setup
    expect(stats.droppedByReason.repeat).toBeGreaterThan(100); // the DSP error repeating
    expect(stats.downgraded).toBeGreaterThanOrEqual(1);
    const end = p.records().at(-1)!;
    expect(end.eventName).toBe('CALL_END');
    expect(end.attributes).toMatchObject({ 'call.id': 'call-1', 'call.duration_ms': 180_000, 'log.forwarded_count': exported });
  });

  test('development (DEBUG=0): 100-500 records exported per 3-minute call', () => {
    const { produced, exported } = oneCall({ DEBUG: '0' });
    expect(exported).toBeGreaterThanOrEqual(100);
    expect(exported).toBeLessThanOrEqual(500);
    expect(produced).toBeGreaterThan(10_000);
  });

  test('the produced count does not depend on the policy', () => {
    expect(oneCall({}).produced).toBe(oneCall({ DEBUG: '0' }).produced);
  });

  test('failing: the call ends half-way with a SERVER_ERROR and outcome failed', () => {
    const { p } = oneCall({}, { failing: true });
    const bodies = p.bodies().map(String);
    expect(bodies.some((b) => b.startsWith('[SERVER_ERROR]'))).toBe(true);
    expect(bodies.some((b) => b.startsWith('[WEBHOOK_CLOSE]'))).toBe(false);
    expect(p.records().at(-1)!.attributes).toMatchObject({ 'call.outcome': 'failed', 'call.duration_ms': 90_000 });
  });
});
