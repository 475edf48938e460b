import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from '../../src/bridges/console.ts';
import { startCall } from '../../src/api/callScope.ts';
import { pipeline } from '../helpers/pipeline.ts';

const METHODS = ['debug', 'log', 'info', 'warn', 'error'] as const;
type Method = (typeof METHODS)[number];

describe('captureConsole: bodies formatted once and bounded, the first argument as the template', () => {
  const saved = new Map<Method, (...args: unknown[]) => void>();
  let restore: (() => void) | undefined;
  beforeEach(() => {
    // Stand-ins for the real console, so nothing prints.
    for (const m of METHODS) {
      saved.set(m, console[m]);
      console[m] = vi.fn();
    }
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
    for (const m of METHODS) console[m] = saved.get(m)!;
  });

  it("console.log('Received event:', msg): one line, log.template from the first argument, so every event is one template", () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production' }, { global: true });
    restore = captureConsole();
    const call = startCall('CA1');
    call.run(() => {
      for (let i = 0; i < 10; i++)
        console.log('Received event:', { type: i % 2 === 0 ? 'response.done' : 'session.updated', event_id: `event_${i}`, nested: { a: { b: { c: { d: 1 } } } } });
    });
    const records = p.records().filter((r) => r.attributes['call.id'] === 'CA1' && r.eventName === undefined);
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.attributes['log.template'] === 'Received event:')).toBe(true);
    const body = records[0]!.body as string;
    expect(body).not.toContain('\n');
    expect(body).toMatch(/^Received event: \{ type: 'response\.done', event_id: 'event_0', nested: \{ a: \{ b: \{ c: \[Object\] \} \} \} \}$/);
    call.end();
  });

  it('huge arguments are bounded: long strings, long arrays and deep objects are cut while formatting', () => {
    const p = pipeline({ LOG_POLICY_MODE: 'development' }, { global: true });
    restore = captureConsole();
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 1_000; i++) deep = { deep };
    console.log('payload', { text: 'x'.repeat(1 << 20), items: Array.from({ length: 100_000 }, (_, i) => i), deep });
    const body = p.records()[0]!.body as string;
    expect(body.length).toBeLessThan(4_000);
    expect(body).toContain('more characters');
    expect(body).toContain('more items');
    expect(p.records()[0]!.attributes['log.template']).toBe('payload');
  });

  it('a single string argument gets its template from the processor; a leading [TAG] stays the key', () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production' }, { global: true });
    restore = captureConsole();
    console.log('Received media message with timestamp: 1234ms');
    console.log('[TX_SLOW] queue', { depth: 3 });
    const [plain, tagged] = p.records();
    expect(plain!.attributes['log.template']).toBe('Received media message with timestamp: <n>');
    expect(tagged!.attributes).not.toHaveProperty('log.template');
    expect(tagged!.attributes['log.key']).toBeUndefined(); // not a macro: the key is the body's tag, not stamped
    expect(p.keys('TX_SLOW')).toHaveLength(1);
  });
});
