import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { captureConsole } from '../../src/bridges/console.ts';
import { chainService } from '../helpers/chainService.ts';
import { useGlobally } from '../helpers/pipeline.ts';

/**
 * Issue 15, item 1: no value a caller passes makes an entry point throw. The SDK checks attribute
 * values while it builds the record, before any processor runs, so these go through the real
 * LoggerProvider and the whole logPolicyProcessors() chain, into the in-memory exporter.
 */
function service(env: Record<string, string> = { LOG_POLICY_MODE: 'development' }) {
  return chainService(env);
}

/** A JSON document nested `n` deep, as a webhook could send it (3,000 deep is 18 KB of objects, 6 KB as arrays). */
const deepJson = (n: number): unknown => JSON.parse(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);

function hostileValues(): Record<string, unknown> {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle['self'] = cycle;
  return {
    deep: deepJson(3_000),
    deeper: deepJson(100_000),
    getter: {
      ok: 1,
      get secret(): never {
        throw new Error('getter');
      },
    },
    revoked: revoked.proxy,
    trapping: new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    ),
    symbol: Symbol('s'),
    fn: () => 1,
    cycle,
    sparse: new Array(2 ** 32 - 1),
    pcm: new Int16Array(48_000),
    plain: 'kept',
  };
}

function revokedProxy(): object {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  return revoked.proxy;
}

afterEach(() => useGlobally(undefined as never));

describe('the facade, the call scope and console capture take any value without throwing', () => {
  test('getLogger(...).info/warn/error/debug and event() with hostile attribute values', async () => {
    const s = service();
    const log = getLogger('server.webhook');
    for (const method of ['debug', 'info', 'warn', 'error'] as const) {
      expect(() => log[method](`${method} payload`, hostileValues() as never)).not.toThrow();
    }
    expect(() => log.event('CREATE_APPT', hostileValues() as never, 'booked')).not.toThrow();
    // The attribute map itself hostile: a revoked Proxy, a map whose key listing throws.
    expect(() => log.info('revoked map', revokedProxy() as never)).not.toThrow();
    expect(() => log.info('not a map', 'oops' as never)).not.toThrow();
    log.info('after');

    const out = await s.exported();
    expect(out.map((r) => r.body)).toEqual(['debug payload', 'info payload', 'warn payload', 'error payload', '[CREATE_APPT] booked', 'revoked map', 'not a map', 'after']);
    const a = out[1]!.attributes as Record<string, unknown>;
    expect(JSON.stringify(a['deep'])).toContain('[too deep]');
    expect(JSON.stringify(a['deeper'])).toContain('[too deep]');
    expect(a['getter']).toEqual({ ok: 1, secret: '[unreadable]' });
    expect(a['revoked']).toBe('[unreadable]');
    expect(a['trapping']).toBe('[unreadable]');
    expect(a).not.toHaveProperty('symbol');
    expect(a).not.toHaveProperty('fn');
    expect((a['cycle'] as Record<string, unknown>)['self']).toBe('[Circular]');
    expect((a['sparse'] as unknown[]).at(-1)).toBe(`[${2 ** 32 - 1 - 999} more items]`);
    expect(a['pcm']).toBe('[Int16Array 96000 bytes]');
    expect(a['plain']).toBe('kept');
    // Counted: on the record (what was changed there) and in the processor's stats.
    expect(a['log.sanitized_count']).toBeGreaterThanOrEqual(8);
    expect(out[5]!.attributes['log.sanitized_count']).toBe(1);
    expect(out[7]!.attributes).toEqual({ 'log.template': out[7]!.attributes['log.template'] }); // nothing but the template the policy stamps
    const stats = s.policy.stats().export!;
    expect(stats.entrySanitized).toBe(out.reduce((n, r) => n + ((r.attributes['log.sanitized_count'] as number | undefined) ?? 0), 0));
    expect(stats.guardErrors).toBe(0);
    expect(s.policy.stats().internalErrors).toBe(0);
  });

  test('startCall(id, attrs) and scope.end(attrs) with hostile attributes, and an exception that throws when read', async () => {
    const s = service();
    let call: ReturnType<typeof startCall> | undefined;
    expect(() => {
      call = startCall('CA-hostile', hostileValues() as never);
    }).not.toThrow();
    const thrower = new Error('boom');
    Object.defineProperty(thrower, 'message', {
      get: () => {
        throw new Error('message getter');
      },
    });
    expect(() => call!.run(() => getLogger('server.call').error('failed', undefined, thrower))).not.toThrow();
    expect(() => call!.run(() => getLogger('server.call').error('failed again', undefined, revokedProxy()))).not.toThrow();
    expect(() => call!.end(hostileValues() as never)).not.toThrow();
    const out = await s.exported();
    expect(out.map((r) => r.eventName ?? r.body)).toEqual(['CALL_START', 'failed', 'failed again', 'CALL_END']);
    expect(out[0]!.attributes['call.id']).toBe('CA-hostile');
    expect(out[0]!.attributes['getter']).toEqual({ ok: 1, secret: '[unreadable]' });
    expect(out[1]!.attributes).toMatchObject({ 'exception.type': 'Error', 'exception.message': '[unreadable]' });
    expect(out[3]!.attributes).toMatchObject({ 'call.id': 'CA-hostile', 'log.forwarded_count': 4 });
    expect(out[3]!.attributes['log.sanitized_count']).toBeGreaterThanOrEqual(8);
    expect(s.policy.stats().callsOpen).toBe(0);
  });

  test('a record that is not built pays nothing: its attributes are not even read', () => {
    // With the flight recorder on no level is bound to a no-op, so the SDK's enabled() decides.
    service({ LOG_POLICY_MODE: 'production', LOG_POLICY_RECORDER: '16' });
    const log = getLogger('server.quiet');
    expect(log.debug.name).not.toBe('noop');
    let reads = 0;
    log.debug('outside any call, below the threshold', {
      get payload() {
        reads++;
        return 1;
      },
    });
    expect(reads).toBe(0);
    log.info('built', {
      get payload() {
        reads++;
        return 1;
      },
    });
    expect(reads).toBeGreaterThan(0);
  });

  describe('console capture', () => {
    const saved = console.error;
    let restore: (() => void) | undefined;
    beforeEach(() => {
      console.error = vi.fn();
    });
    afterEach(() => {
      restore?.();
      console.error = saved;
    });

    test('a revoked Proxy argument and an Error whose fields throw still make a record', async () => {
      const s = service();
      restore = captureConsole();
      const thrower = new Error('boom');
      Object.defineProperty(thrower, 'stack', {
        get: () => {
          throw new Error('stack getter');
        },
      });
      expect(() => console.error('proxy', revokedProxy())).not.toThrow();
      expect(() => console.error('error', thrower)).not.toThrow();
      const out = await s.exported();
      expect(out.map((r) => r.body)).toEqual(['proxy <Revoked Proxy>', expect.stringMatching(/^error /)]);
      expect(out[1]!.attributes).toMatchObject({ 'exception.type': 'Error', 'exception.message': 'boom', 'exception.stacktrace': '[unreadable]' });
    });
  });
});
