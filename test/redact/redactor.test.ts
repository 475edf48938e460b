import { InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { Redactor } from '../../src/pipeline/redact/Redactor.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';

function pipeline(env: Record<string, string>) {
  const exporter = new InMemoryLogRecordExporter();
  const [policy] = logPolicyProcessors({ config: loadPolicyConfig(env), exporter });
  const provider = new LoggerProvider({ processors: [policy] });
  return { exporter, policy, provider, logger: provider.getLogger('server.calls') };
}

describe('redaction in the pipeline', () => {
  test('on by default in production: bodies, nested body strings and attribute values, before export', async () => {
    const { exporter, policy, provider, logger } = pipeline({});
    logger.emit({
      severityText: 'WARN',
      severityNumber: 13,
      body: 'caller +14155550132 wrote jane@example.com',
      attributes: {
        'caller.number': '4155550132',
        'http.request.header.authorization': 'Bearer abc.def.ghi',
        note: 'card 4111 1111 1111 1111',
        'call.id': '+14155550132',
        'sip.call_id': '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        sample_rate: 16000,
      },
    });
    logger.emit({ severityNumber: 13, body: { transcript: 'my number is 415-555-0132', turns: [{ text: 'mail bob@example.org' }] } as never });
    await provider.forceFlush();
    const [first, second] = exporter.getFinishedLogRecords();
    expect(first!.body).toBe('caller [REDACTED:phone] wrote [REDACTED:email]');
    expect(first!.attributes['caller.number']).toBe('[REDACTED:phone]');
    expect(first!.attributes['http.request.header.authorization']).toBe('[REDACTED:secret]');
    expect(first!.attributes['note']).toBe('card [REDACTED:card]');
    expect(first!.attributes['call.id']).toMatch(/^\[REDACTED:phone\]#[0-9a-f]{12}$/);
    expect(first!.attributes['sip.call_id']).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(first!.attributes['sample_rate']).toBe(16000);
    expect(second!.body).toEqual({ transcript: 'my number is [REDACTED:phone]', turns: [{ text: 'mail [REDACTED:email]' }] });
    // The first record's log.template ("caller +<n> wrote jane@example.com") carries the address too: redacted as well.
    expect(first!.attributes['log.template']).toBe('caller +<n> wrote [REDACTED:email]');
    expect(policy.stats().export!.redacted).toMatchObject({ phone: 4, email: 3, secret: 1, card: 1 });
  });

  test('a phone-number call id keeps a stable pseudonym, different per number, so calls stay apart', () => {
    const r = new Redactor();
    const a = r.attribute('call.id', '+14155550132');
    expect(r.attribute('call.id', '+14155550132')).toBe(a);
    expect(r.attribute('call.id', '+14155550133')).not.toBe(a);
  });

  test('off by default in development; LOG_POLICY_REDACT overrides either way', async () => {
    for (const [env, redacted] of [
      [{ LOG_POLICY_MODE: 'development' }, false],
      [{ LOG_POLICY_MODE: 'development', LOG_POLICY_REDACT: 'on' }, true],
      [{ LOG_POLICY_REDACT: 'off' }, false],
    ] as const) {
      const { exporter, provider, logger } = pipeline(env);
      logger.emit({ severityNumber: 13, body: 'call me on +14155550132' });
      await provider.forceFlush();
      expect(exporter.getFinishedLogRecords()[0]!.body, JSON.stringify(env)).toBe(redacted ? 'call me on [REDACTED:phone]' : 'call me on +14155550132');
    }
  });

  test('LOG_POLICY_REDACT_PATTERNS adds a pattern; a bad one is a LogPolicyConfigError', async () => {
    const { exporter, provider, logger } = pipeline({ LOG_POLICY_REDACT_PATTERNS: String.raw`PAT-\d{6}|member#\w+` });
    logger.emit({ severityNumber: 13, body: 'patient PAT-123456 is member#gold7' });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords()[0]!.body).toBe('patient [REDACTED:custom] is [REDACTED:custom]');
    for (const bad of ['(unclosed', 'a*', '[z-a]']) {
      expect(() => loadPolicyConfig({ LOG_POLICY_REDACT_PATTERNS: bad })).toThrow(LogPolicyConfigError);
    }
    expect(() => loadPolicyConfig({ LOG_POLICY_REDACT: 'maybe' })).toThrow(/LOG_POLICY_REDACT="maybe".*on, off/);
  });

  test('records the policy drops are never redacted (they cost nothing)', async () => {
    const { policy, provider, logger } = pipeline({});
    for (let i = 0; i < 100; i++) logger.emit({ severityNumber: 5, body: 'debug +14155550132' });
    await provider.forceFlush();
    expect(policy.stats().export!.redacted.phone).toBe(0);
  });
});
