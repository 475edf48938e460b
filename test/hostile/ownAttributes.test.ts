import { SeverityNumber as S } from '@opentelemetry/api';
import { afterEach, expect, test } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { chainService } from '../helpers/chainService.ts';
import { useGlobally } from '../helpers/pipeline.ts';

/**
 * Issue 15, item 3: the policy reads a record's own attributes only. A parsed payload with an own
 * `__proto__` key is the attack: the SDK's attribute copy assigns it, which replaces the prototype
 * of the record's attribute map, and a plain read of `log.key` or `call.id` answers from it.
 */
const FORGED_END = '{"__proto__":{"log.key":"CALL_END","call.id":"CA-victim"}}';

function service(env: Record<string, string> = {}) {
  return chainService({ LOG_POLICY_MODE: 'production', LOG_POLICY_TEMPLATE_LIMIT: 'none', LOG_POLICY_TEMPLATE_SHARE: '100', LOG_POLICY_CALL_TAIL: '0', ...env });
}

afterEach(() => useGlobally(undefined as never));

/** The victim call spends its budget of 20, the forged record is logged outside any call, the call logs 20 more. */
async function attack(logForged: (forged: unknown, s: ReturnType<typeof service>) => void) {
  const s = service();
  const victim = startCall('CA-victim');
  const app = getLogger('server.app');
  victim.run(() => {
    for (let i = 0; i < 20; i++) app.info(`victim line ${i}`);
  });
  logForged(JSON.parse(FORGED_END), s);
  victim.run(() => {
    for (let i = 20; i < 40; i++) app.info(`victim line ${i}`);
  });
  const out = await s.exported();
  return { s, out, victim };
}

test.each([
  ['through the facade', (forged: unknown) => getLogger('server.webhook').info('webhook payload', forged as never)],
  // The bridges' path: the SDK builds the record from the attributes as given; only the processor runs our code.
  [
    'through the SDK logger, as a bridge emits',
    (forged: unknown, s: ReturnType<typeof service>) =>
      s.provider.getLogger('server.webhook').emit({ severityNumber: S.INFO, body: 'webhook payload', attributes: forged as never }),
  ],
] as const)('a parsed {"__proto__":{"log.key":"CALL_END","call.id":…}} %s ends no call and forges no CALL_END', async (_, logForged) => {
  const { s, out } = await attack(logForged);
  expect(out.filter((r) => r.attributes['log.key'] === 'CALL_END' || r.eventName === 'CALL_END')).toEqual([]);
  // The victim's budget was not reset: lines 20-39 are dropped, the call is still open.
  expect(out.filter((r) => String(r.body).startsWith('victim line')).length).toBe(20);
  expect(s.policy.stats().callsOpen).toBe(1);
  const payload = out.find((r) => r.body === 'webhook payload')!;
  expect(payload.attributes['call.id']).toBeUndefined();
  expect(Object.getPrototypeOf(payload.attributes)).toBe(Object.prototype);
  // Counted: the facade dropped the key (log.sanitized_count), or the sanitizer put the SDK's map back.
  const exportStats = s.policy.stats().export!;
  expect(exportStats.entrySanitized + exportStats.unsafeKeys).toBe(1);
});

test('an own __proto__ key cannot escalate a call (log.policy.mode) nor name a bridge logger', async () => {
  const s = service({ LOG_POLICY_LEVELS: 'verbose.module=debug' });
  startCall('CA-quiet', JSON.parse('{"__proto__":{"log.policy.mode":"development"}}'));
  const sdkLogger = s.provider.getLogger('otel-log-policy.test');
  sdkLogger.emit({ severityNumber: S.INFO, body: 'first record of CA-sdk', attributes: JSON.parse('{"call.id":"CA-sdk","__proto__":{"log.policy.mode":"development"}}') });
  expect(s.policy.stats().callsEscalated).toBe(0);
  const pino = s.provider.getLogger('@opentelemetry/instrumentation-pino');
  pino.emit({ severityNumber: S.DEBUG, body: 'steered debug', attributes: JSON.parse('{"__proto__":{"name":"verbose.module"}}') });
  pino.emit({ severityNumber: S.DEBUG, body: 'named debug', attributes: { name: 'verbose.module' } });
  const bodies = (await s.exported()).map((r) => r.body);
  expect(bodies).toContain('named debug');
  expect(bodies).not.toContain('steered debug');
});

test('a polluted Object.prototype does not steer the policy either', async () => {
  const s = service();
  const proto = Object.prototype as Record<string, unknown>;
  proto['log.key'] = 'CALL_END';
  proto['call.id'] = 'CA-victim';
  try {
    const victim = startCall('CA-victim');
    getLogger('server.app').info('an ordinary line');
    expect(s.policy.stats().callsOpen).toBe(1);
    victim.end();
  } finally {
    delete proto['log.key'];
    delete proto['call.id'];
  }
  const out = await s.exported();
  expect(out.map((r) => r.eventName ?? r.body)).toEqual(['CALL_START', 'an ordinary line', 'CALL_END']);
});

test('unsafe keys inside bodies and attribute values are dropped and counted', async () => {
  const s = service({ LOG_POLICY_MODE: 'development' });
  const logger = s.provider.getLogger('server.app');
  logger.emit({ body: JSON.parse('{"a":1,"__proto__":{"x":1},"constructor":"c","nested":{"prototype":2,"b":3}}') });
  getLogger('server.app').info('attrs', JSON.parse('{"payload":{"__proto__":{"x":1},"ok":true},"constructor":"c"}'));
  const [body, attrs] = await s.exported();
  expect(body!.body).toEqual({ a: 1, nested: { b: 3 } });
  expect(attrs!.attributes).toEqual({ payload: { ok: true }, 'log.sanitized_count': 2, 'log.template': 'attrs' });
  expect(s.policy.stats().export!.unsafeKeys).toBe(3);
});
