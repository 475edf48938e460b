import { SeverityNumber } from '@opentelemetry/api';
import { describe, expect, test, vi } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';

function rejects(env: Record<string, string>, variable: string, mentions: string) {
  let error: unknown;
  try {
    loadPolicyConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LogPolicyConfigError);
  const e = error as LogPolicyConfigError;
  expect(e.variable).toBe(variable);
  expect(e.value).toBe(env[variable]);
  expect(e.message).toContain(variable);
  expect(e.message).toContain(JSON.stringify(env[variable]));
  expect(e.message).toContain(mentions);
}

describe('mode', () => {
  test('defaults to production', () => {
    const c = loadPolicyConfig({});
    expect(c.mode).toBe('production');
    expect(c.modeSource).toBe('default');
    expect(c.baseLevel).toBe(SeverityNumber.INFO);
    expect(c.noisyLevel).toBe(SeverityNumber.WARN);
    expect(c.callBudget).toBe(20);
  });

  test.each([
    ['1', 'production'],
    ['true', 'production'],
    ['TRUE', 'production'],
    ['0', 'development'],
    ['false', 'development'],
  ])('DEBUG=%s means %s (the seed inverted the switch on purpose)', (value, mode) => {
    const c = loadPolicyConfig({ DEBUG: value });
    expect(c.mode).toBe(mode);
    expect(c.modeSource).toBe(`DEBUG=${value}`);
  });

  test('development defaults', () => {
    const c = loadPolicyConfig({ DEBUG: '0' });
    expect(c.baseLevel).toBe(SeverityNumber.DEBUG);
    expect(c.noisyLevel).toBe(SeverityNumber.INFO);
    expect(c.callBudget).toBe(0);
  });

  test('LOG_POLICY_MODE wins over DEBUG', () => {
    expect(loadPolicyConfig({ LOG_POLICY_MODE: 'development', DEBUG: '1' }).mode).toBe('development');
    expect(loadPolicyConfig({ LOG_POLICY_MODE: 'Production', DEBUG: '0' }).mode).toBe('production');
    expect(loadPolicyConfig({ LOG_POLICY_MODE: 'development', DEBUG: '1' }).modeSource).toBe('LOG_POLICY_MODE=development');
  });

  test('a DEBUG value of the debug package is not ours: one warning, mode unchanged', () => {
    const c = loadPolicyConfig({ DEBUG: 'express:*' });
    expect(c.mode).toBe('production');
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toContain('express:*');
  });

  test('bad LOG_POLICY_MODE', () => rejects({ LOG_POLICY_MODE: 'prod' }, 'LOG_POLICY_MODE', 'production, development'));
  test('empty values count as unset', () => expect(loadPolicyConfig({ LOG_POLICY_MODE: '', LOG_POLICY_LEVEL: ' ' }).mode).toBe('production'));
});

describe('levels', () => {
  test.each([
    ['trace', 1],
    ['DEBUG', 5],
    ['Info', 9],
    ['warn', 13],
    ['WARNING', 13],
    ['error', 17],
    ['fatal', 21],
  ])('LOG_POLICY_LEVEL=%s', (value, severity) => {
    expect(loadPolicyConfig({ LOG_POLICY_LEVEL: value }).baseLevel).toBe(severity);
  });
  test('bad LOG_POLICY_LEVEL', () => rejects({ LOG_POLICY_LEVEL: 'verbose' }, 'LOG_POLICY_LEVEL', 'trace, debug, info'));
  test('LOG_POLICY_NOISY_LEVEL', () => expect(loadPolicyConfig({ LOG_POLICY_NOISY_LEVEL: 'error' }).noisyLevel).toBe(17));
  test('bad LOG_POLICY_NOISY_LEVEL', () => rejects({ LOG_POLICY_NOISY_LEVEL: '3' }, 'LOG_POLICY_NOISY_LEVEL', 'accepted levels'));

  test('LOG_POLICY_LEVELS: bare level sets the base and wins over LOG_POLICY_LEVEL; rules override noisy modules', () => {
    const c = loadPolicyConfig({ LOG_POLICY_LEVEL: 'warn', LOG_POLICY_LEVELS: 'debug, openai=error ,server.media_ws_ai=debug' });
    expect(c.baseLevel).toBe(SeverityNumber.DEBUG);
    const rules = Object.fromEntries(c.levelRules.map((r) => [r.logger, r.level]));
    expect(rules['openai']).toBe(SeverityNumber.ERROR);
    expect(rules['server.media_ws_ai']).toBe(SeverityNumber.DEBUG);
    expect(rules['websockets']).toBe(SeverityNumber.WARN);
  });
  test('bad level in LOG_POLICY_LEVELS', () => rejects({ LOG_POLICY_LEVELS: 'info,openai=loud' }, 'LOG_POLICY_LEVELS', '"loud" is not a level'));
  test('bad logger name in LOG_POLICY_LEVELS', () => rejects({ LOG_POLICY_LEVELS: 'bad name=info' }, 'LOG_POLICY_LEVELS', 'not a logger name'));
  test('empty logger name in LOG_POLICY_LEVELS', () => rejects({ LOG_POLICY_LEVELS: '=info' }, 'LOG_POLICY_LEVELS', 'not a logger name'));
});

describe('noisy modules', () => {
  test('default: the seed six and Node ones', () => {
    const c = loadPolicyConfig({});
    for (const m of ['server.media_ws_ai', 'server.services.audio_dsp', 'websockets', 'urllib3', 'httpx', 'openai', 'ws']) expect(c.noisyModules).toContain(m);
  });
  test('custom list and none', () => {
    expect(loadPolicyConfig({ LOG_POLICY_NOISY_MODULES: 'a.b, c' }).noisyModules).toEqual(['a.b', 'c']);
    expect(loadPolicyConfig({ LOG_POLICY_NOISY_MODULES: 'none' }).levelRules).toEqual([]);
  });
  test('bad name', () => rejects({ LOG_POLICY_NOISY_MODULES: 'ok,not ok' }, 'LOG_POLICY_NOISY_MODULES', '"not ok"'));
});

describe('keys and durations', () => {
  test('default rate limits', () => {
    expect(Object.fromEntries(loadPolicyConfig({}).rateLimits)).toEqual({ AUDIO_DELTA: 10_000, RMS: 10_000, TX_SLOW: 5_000, AUDIO_DRAIN: 5_000 });
  });
  test('custom rate limits with every unit', () => {
    expect(Object.fromEntries(loadPolicyConfig({ LOG_POLICY_RATE_LIMITS: 'A=500ms,B=5s,C=2m,D=1h' }).rateLimits)).toEqual({ A: 500, B: 5000, C: 120_000, D: 3_600_000 });
    expect(loadPolicyConfig({ LOG_POLICY_RATE_LIMITS: 'none' }).rateLimits.size).toBe(0);
  });
  test.each(['A=10', 'A', 'A=fast', 'A=-5s', 'A=0s', 'bad key=5s', '=5s'])('bad LOG_POLICY_RATE_LIMITS %s', (value) =>
    rejects({ LOG_POLICY_RATE_LIMITS: value }, 'LOG_POLICY_RATE_LIMITS', 'accepted'),
  );
  test('once keys', () => {
    expect([...loadPolicyConfig({}).onceKeys]).toEqual(['DSP', 'AUDIO_MODE']);
    expect([...loadPolicyConfig({ LOG_POLICY_ONCE: 'A, B' }).onceKeys]).toEqual(['A', 'B']);
    expect(loadPolicyConfig({ LOG_POLICY_ONCE: 'none' }).onceKeys.size).toBe(0);
  });
  test('bad once key', () => rejects({ LOG_POLICY_ONCE: 'DSP,[x]' }, 'LOG_POLICY_ONCE', '"[x]" is not a key'));
  test('error repeat interval', () => {
    expect(loadPolicyConfig({}).errorRepeatMs).toBe(30_000);
    expect(loadPolicyConfig({ LOG_POLICY_ERROR_REPEAT: '2m' }).errorRepeatMs).toBe(120_000);
  });
  test('bad error repeat interval', () => rejects({ LOG_POLICY_ERROR_REPEAT: '30' }, 'LOG_POLICY_ERROR_REPEAT', 'e.g. 500ms, 5s, 2m, 1h'));
  test('call TTL', () => {
    expect(loadPolicyConfig({}).callTtlMs).toBe(7_200_000);
    expect(loadPolicyConfig({ LOG_POLICY_CALL_TTL: '10m' }).callTtlMs).toBe(600_000);
  });
  test('bad call TTL', () => rejects({ LOG_POLICY_CALL_TTL: 'forever' }, 'LOG_POLICY_CALL_TTL', 'positive duration'));
});

describe('numbers and flags', () => {
  test('call budget', () => {
    expect(loadPolicyConfig({ LOG_POLICY_CALL_BUDGET: '5' }).callBudget).toBe(5);
    expect(loadPolicyConfig({ LOG_POLICY_CALL_BUDGET: '0' }).callBudget).toBe(0);
  });
  test.each(['-1', '1.5', 'ten', '1e3'])('bad call budget %s', (value) => rejects({ LOG_POLICY_CALL_BUDGET: value }, 'LOG_POLICY_CALL_BUDGET', 'whole number'));
  test('caps', () => {
    const c = loadPolicyConfig({ LOG_POLICY_MAX_CALLS: '10', LOG_POLICY_MAX_KEYS: '3' });
    expect([c.maxCalls, c.maxKeysPerCall]).toEqual([10, 3]);
  });
  test('bad caps', () => {
    rejects({ LOG_POLICY_MAX_CALLS: '0' }, 'LOG_POLICY_MAX_CALLS', 'from 1');
    rejects({ LOG_POLICY_MAX_KEYS: 'x' }, 'LOG_POLICY_MAX_KEYS', 'from 1');
  });
  test('DEBUG_TX', () => {
    expect(loadPolicyConfig({}).debugTx).toBe(false);
    expect(loadPolicyConfig({ DEBUG_TX: '1' }).debugTx).toBe(true);
    expect(loadPolicyConfig({ DEBUG_TX: '0' }).debugTx).toBe(false);
  });
  test('bad DEBUG_TX', () => rejects({ DEBUG_TX: 'yes' }, 'DEBUG_TX', '1, true, 0, false'));
});

test('the config is frozen', () => {
  const c = loadPolicyConfig({});
  expect(Object.isFrozen(c)).toBe(true);
});

test('reads process.env by default', () => {
  vi.stubEnv('LOG_POLICY_MODE', 'development');
  try {
    expect(loadPolicyConfig().mode).toBe('development');
  } finally {
    vi.unstubAllEnvs();
  }
});

describe('debugging one call: recorder sizes and verbose calls', () => {
  test('recorder off by default, with 64KiB per call and 32MiB in all', () => {
    const c = loadPolicyConfig({});
    expect(c.recorder).toBe(0);
    expect(c.recorderBytes).toBe(64 * 1024);
    expect(c.recorderTotalBytes).toBe(32 * 1024 * 1024);
    expect(c.verboseCalls.size).toBe(0);
  });

  test('recorder settings and sizes in bytes, B, KiB, MiB, GiB (any case, decimals floor)', () => {
    const c = loadPolicyConfig({ LOG_POLICY_RECORDER: '200', LOG_POLICY_RECORDER_BYTES: '1.5kib', LOG_POLICY_RECORDER_TOTAL_BYTES: '1GiB' });
    expect([c.recorder, c.recorderBytes, c.recorderTotalBytes]).toEqual([200, 1536, 1024 ** 3]);
    expect(loadPolicyConfig({ LOG_POLICY_RECORDER_BYTES: '4096', LOG_POLICY_RECORDER_TOTAL_BYTES: '8192 B' }).recorderTotalBytes).toBe(8192);
  });

  test.each(['64KB', '64k', 'lots', '0', '-1KiB', '0.1B'])('bad size %s', (value) =>
    rejects({ LOG_POLICY_RECORDER_BYTES: value }, 'LOG_POLICY_RECORDER_BYTES', 'B, KiB, MiB or GiB'),
  );

  test('a per-call cap above the global cap is refused, naming both', () => {
    rejects({ LOG_POLICY_RECORDER_BYTES: '2MiB', LOG_POLICY_RECORDER_TOTAL_BYTES: '1MiB' }, 'LOG_POLICY_RECORDER_BYTES', 'at most LOG_POLICY_RECORDER_TOTAL_BYTES (1MiB)');
    rejects({ LOG_POLICY_RECORDER_TOTAL_BYTES: '1KiB' }, 'LOG_POLICY_RECORDER_TOTAL_BYTES', 'at least LOG_POLICY_RECORDER_BYTES (64KiB, the default)');
  });

  test.each(['many', '-5', '2.5'])('bad LOG_POLICY_RECORDER %s', (value) => rejects({ LOG_POLICY_RECORDER: value }, 'LOG_POLICY_RECORDER', 'whole number'));
  test('bad total size', () => rejects({ LOG_POLICY_RECORDER_TOTAL_BYTES: '32 MB' }, 'LOG_POLICY_RECORDER_TOTAL_BYTES', 'e.g. 65536, 64KiB, 32MiB'));

  test('LOG_POLICY_RECORDER_FLUSH_ON: levels and keys; error and SERVER_ERROR by default', () => {
    const byDefault = loadPolicyConfig({});
    expect([byDefault.recorderFlushSeverity, [...byDefault.recorderFlushKeys]]).toEqual([SeverityNumber.ERROR, ['SERVER_ERROR']]);
    const keysOnly = loadPolicyConfig({ LOG_POLICY_RECORDER_FLUSH_ON: 'SERVER_ERROR,CALL_DROPPED' });
    expect([keysOnly.recorderFlushSeverity, [...keysOnly.recorderFlushKeys]]).toEqual([Number.POSITIVE_INFINITY, ['SERVER_ERROR', 'CALL_DROPPED']]);
    expect(loadPolicyConfig({ LOG_POLICY_RECORDER_FLUSH_ON: 'FATAL' }).recorderFlushSeverity).toBe(SeverityNumber.FATAL);
  });
  test('bad LOG_POLICY_RECORDER_FLUSH_ON', () => {
    rejects({ LOG_POLICY_RECORDER_FLUSH_ON: 'error,[x]' }, 'LOG_POLICY_RECORDER_FLUSH_ON', '"[x]" is neither a level nor a key');
    rejects({ LOG_POLICY_RECORDER_FLUSH_ON: ',' }, 'LOG_POLICY_RECORDER_FLUSH_ON', 'error, fatal and keys');
  });

  test('LOG_POLICY_VERBOSE_CALLS is a list of exact ids', () => {
    expect([...loadPolicyConfig({ LOG_POLICY_VERBOSE_CALLS: ' CA123 , call-7:x ,' }).verboseCalls]).toEqual(['CA123', 'call-7:x']);
  });
  test('a call id with a space is refused', () => rejects({ LOG_POLICY_VERBOSE_CALLS: 'a,b c' }, 'LOG_POLICY_VERBOSE_CALLS', '"b c" is not a call id'));

  test('LOG_POLICY_LEVELS directives are kept apart from the noisy-module rules', () => {
    const c = loadPolicyConfig({ LOG_POLICY_LEVELS: 'warn,openai=error' });
    expect(c.levelDirectives).toEqual([{ logger: 'openai', level: SeverityNumber.ERROR }]);
    expect(c.levelRules.length).toBeGreaterThan(1);
  });
});

describe('list variables: a key given twice is an error, not a silent last-wins', () => {
  test.each([
    ['LOG_POLICY_RATE_LIMITS', 'TX_SLOW=5s,TX_SLOW=1h', 'key "TX_SLOW" is given twice'],
    ['LOG_POLICY_ONCE', 'DSP_READY, AUDIO_MODE ,DSP_READY', 'key "DSP_READY" is given twice'],
    ['LOG_POLICY_LEVELS', 'info,openai=warn,openai=debug', 'logger "openai" is given twice'],
    ['LOG_POLICY_LEVELS', 'info,openai=warn,debug', 'base level'],
    ['LOG_POLICY_NOISY_MODULES', 'openai,ws,openai', 'module "openai" is given twice'],
    ['LOG_POLICY_VERBOSE_CALLS', 'CA1,CA2,CA1', 'call id "CA1" is given twice'],
    ['LOG_POLICY_RECORDER_FLUSH_ON', 'error,SERVER_ERROR,ERROR', 'entry "error" is given twice'],
    ['LOG_POLICY_RECORDER_FLUSH_ON', 'SERVER_ERROR,error,SERVER_ERROR', 'entry "SERVER_ERROR" is given twice'],
  ])('%s=%s', (variable, value, mentions) => rejects({ [variable]: value }, variable, mentions));

  test('keys that differ only in case are different keys (keys are case-sensitive)', () => {
    expect(loadPolicyConfig({ LOG_POLICY_RATE_LIMITS: 'TX_SLOW=5s,tx_slow=1h' }).rateLimits.size).toBe(2);
  });
});
