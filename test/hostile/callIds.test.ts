import { createHash } from 'node:crypto';
import { SeverityNumber as S } from '@opentelemetry/api';
import { afterEach, expect, test } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { boundedCallId, INVALID_CALL_ID, keptCallId } from '../../src/config/boundedStrings.ts';
import { chainService } from '../helpers/chainService.ts';
import { useGlobally } from '../helpers/pipeline.ts';

/** Issue 15, item 4: call ids are capped wherever they enter, in one documented form. */
function service(env: Record<string, string> = {}) {
  return chainService({ LOG_POLICY_MODE: 'production', ...env });
}

afterEach(() => useGlobally(undefined as never));

const LONG = `wss://voice.example/media?${'token=abc&'.repeat(1_640)}`;
const BOUNDED = `${LONG.slice(0, 64)}#${createHash('sha256').update(LONG).digest('hex').slice(0, 12)}`;

test('ids up to 128 characters are kept; longer ones become their first 64 characters, # and 12 hex of their SHA-256', () => {
  expect(LONG.length).toBeGreaterThan(16_000);
  expect(boundedCallId('CA0123456789abcdef0123456789abcdef')).toBe('CA0123456789abcdef0123456789abcdef');
  expect(boundedCallId('x'.repeat(128))).toBe('x'.repeat(128));
  expect(boundedCallId(LONG)).toBe(BOUNDED);
  expect(BOUNDED).toHaveLength(77);
  expect(boundedCallId(`${LONG}x`)).not.toBe(BOUNDED);
  expect(keptCallId(42)).toBe('42');
  expect(keptCallId(undefined)).toBe(INVALID_CALL_ID);
  expect(
    keptCallId({
      toString: () => {
        throw new Error('no');
      },
    }),
  ).toBe(INVALID_CALL_ID);
});

test('startCall, the records of its scope and a record naming the call by its long id all meet in one bounded id', async () => {
  // Redaction off: the id carries a token= value, which the redaction would pseudonymize in every record alike.
  const s = service({ LOG_POLICY_REDACT: 'off' });
  const call = startCall(LONG);
  expect(call.id).toBe(BOUNDED);
  call.run(() => getLogger('server.media').info('[REALTIME] inside'));
  s.provider.getLogger('server.media').emit({ severityNumber: S.WARN, body: 'named by attribute', attributes: { 'call.id': LONG } });
  call.end();
  const out = await s.exported();
  expect(out.map((r) => [r.eventName ?? r.body, r.attributes['call.id']])).toEqual([
    ['CALL_START', BOUNDED],
    ['REALTIME', BOUNDED],
    ['named by attribute', BOUNDED],
    ['CALL_END', BOUNDED],
  ]);
  expect(out[3]!.attributes['log.produced_count']).toBe(4);
  expect(out[0]!.body).toBe(`[CALL_START] call ${BOUNDED} started`);
  expect(s.policy.stats().callsOpen).toBe(0);
});

test('LOG_POLICY_VERBOSE_CALLS lists a long id as given and still escalates the call', async () => {
  const longListed = `CA-${'v'.repeat(200)}`;
  const s = service({ LOG_POLICY_VERBOSE_CALLS: longListed });
  const call = startCall(longListed);
  call.run(() => getLogger('server.media').debug('a debug line production drops, escalated'));
  call.end();
  const out = await s.exported();
  expect(out.map((r) => r.eventName ?? r.body)).toEqual(['CALL_START', 'a debug line production drops, escalated', 'CALL_END']);
  expect(out[0]!.attributes['log.policy.escalated']).toBe('env');
});

test('a JavaScript caller passing no string id gets a call, not a throw', async () => {
  const s = service();
  expect(() => startCall(undefined as never).end()).not.toThrow();
  const out = await s.exported();
  expect(out.map((r) => r.attributes['call.id'])).toEqual([INVALID_CALL_ID, INVALID_CALL_ID]);
});
