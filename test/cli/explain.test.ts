import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The CLI from source, as a child process, with only the given policy/OTel variables set. */
function cli(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OTEL_|LOG_POLICY_|DEBUG$|DEBUG_TX$)/.test(name)));
  const result = spawnSync(process.execPath, ['src/cli/main.ts', ...args], { cwd: ROOT, env: { ...base, ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A field's value: from the policy section, or with `section: 'record'` from the record section below it. */
function line(stdout: string, field: string, section: 'policy' | 'record' = 'policy') {
  const lines = stdout.split('\n');
  const start = section === 'record' ? lines.findIndex((l) => l.startsWith('record ')) : 0;
  return lines
    .slice(Math.max(0, start))
    .find((l) => l.startsWith(`${field.padEnd(15)} `))
    ?.slice(16);
}
const thens = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('  then'))
    .map((l) => l.slice(16));

describe('otel-log-policy explain: the effective policy', () => {
  test('defaults: production, and why', () => {
    const { code, stdout, stderr } = cli(['explain']);
    expect(code, stderr).toBe(0);
    expect(line(stdout, 'mode')).toBe('production (default: neither LOG_POLICY_MODE nor DEBUG is set)');
    expect(line(stdout, 'base level')).toMatch(/^INFO \(production default\)/);
    expect(line(stdout, 'noisy level')).toBe('WARN (production default)');
    expect(stdout).toMatch(/^ {2}server\.media_ws_ai +WARN +noisy module$/m);
    expect(line(stdout, 'rate limits')).toMatch(/^AUDIO_DELTA 10s, RMS 10s, TX_SLOW 5s, AUDIO_DRAIN 5s /);
    expect(line(stdout, 'once per call')).toBe('DSP, AUDIO_MODE');
    expect(line(stdout, 'macro events')).toMatch(/^BOOT, CALL_START, REALTIME, CREATE_APPT, DSP, WEBHOOK_CLOSE, CALL_END, SERVER_ERROR:/);
    expect(line(stdout, 'call budget')).toMatch(/^20 INFO-and-below records per call/);
    expect(line(stdout, 'repeat errors')).toContain('within 30s');
    expect(line(stdout, 'call TTL')).toMatch(/^2h /);
    expect(line(stdout, 'caps')).toBe('50000 open calls, 64 keys per call');
    expect(line(stdout, 'DEBUG_TX')).toMatch(/^off/);
    expect(line(stdout, 'log exporters')).toBe('otlp over http/protobuf (default); OTEL_LOGS_EXPORTER=otlp,console,none chooses');
    expect(line(stdout, 'OTLP endpoint')).toMatch(/^none set/);
    expect(line(stdout, 'warnings')).toBe('none');
  });

  test('DEBUG=0 is development; LOG_POLICY_MODE wins over DEBUG; directives show where they come from', () => {
    const dev = cli(['explain'], { DEBUG: '0' });
    expect(line(dev.stdout, 'mode')).toBe('development (set by DEBUG=0)');
    expect(line(dev.stdout, 'base level')).toMatch(/^DEBUG \(development default\)/);
    expect(line(dev.stdout, 'noisy level')).toBe('INFO (development default)');
    expect(line(dev.stdout, 'call budget')).toBe('unlimited');
    const explicit = cli(['explain'], { DEBUG: '0', LOG_POLICY_MODE: 'production', LOG_POLICY_LEVELS: 'warn,openai.realtime=debug', DEBUG_TX: '1' });
    expect(line(explicit.stdout, 'mode')).toBe('production (set by LOG_POLICY_MODE=production)');
    expect(line(explicit.stdout, 'base level')).toMatch(/^WARN \(set by LOG_POLICY_LEVEL or a bare level in LOG_POLICY_LEVELS\)/);
    expect(explicit.stdout).toMatch(/^ {2}openai\.realtime +DEBUG +LOG_POLICY_LEVELS$/m);
    expect(line(explicit.stdout, 'DEBUG_TX')).toMatch(/^on/);
  });

  test('the OTLP endpoint and batch settings come from the standard variables; config warnings are shown', () => {
    const base = cli(['explain'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otelcol:4318/', OTEL_BLRP_SCHEDULE_DELAY: '500' });
    expect(line(base.stdout, 'OTLP endpoint')).toBe('http://otelcol:4318/v1/logs (from OTEL_EXPORTER_OTLP_ENDPOINT=http://otelcol:4318/)');
    expect(line(base.stdout, 'batch')).toBe('scheduledDelayMillis=500 (OTEL_BLRP_*)');
    const logs = cli(['explain'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://b:4318/logs' });
    expect(line(logs.stdout, 'OTLP endpoint')).toBe('http://b:4318/logs (from OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://b:4318/logs)');
    const odd = cli(['explain'], { DEBUG: 'express:*' });
    expect(odd.code).toBe(0);
    expect(line(odd.stdout, 'warnings')).toContain('DEBUG="express:*"');
  });

  test('the log exporters and protocol are the ones OTEL_LOGS_EXPORTER and OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL choose', () => {
    const grpc = cli(['explain'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otelcol:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_LOGS_EXPORTER: 'otlp,console' });
    expect(line(grpc.stdout, 'log exporters')).toBe(
      'otlp over grpc (set by OTEL_EXPORTER_OTLP_PROTOCOL), console (each record printed as it passes); OTEL_LOGS_EXPORTER=otlp,console,none chooses',
    );
    expect(line(grpc.stdout, 'OTLP endpoint')).toBe('http://otelcol:4317 (from OTEL_EXPORTER_OTLP_ENDPOINT=http://otelcol:4317)');
    const none = cli(['explain'], { OTEL_LOGS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' });
    expect(line(none.stdout, 'log exporters')).toMatch(/^none: nothing is exported; the policy still runs and counts/);
    const bad = cli(['explain'], { OTEL_EXPORTER_OTLP_PROTOCOL: 'http' });
    expect(line(bad.stdout, 'log exporters')).toMatch(/^otlp over http\/protobuf \(set by OTEL_EXPORTER_OTLP_PROTOCOL\)/);
    expect(line(bad.stdout, 'warnings')).toBe('OTEL_EXPORTER_OTLP_PROTOCOL="http" is not accepted (accepted: grpc, http/protobuf, http/json); using http/protobuf as NodeSDK does');
  });

  test('a bad variable prints the LogPolicyConfigError message, exit 2', () => {
    let thrown: unknown;
    try {
      loadPolicyConfig({ LOG_POLICY_LEVEL: 'loud' });
    } catch (error) {
      thrown = error;
    }
    const { code, stdout, stderr } = cli(['explain'], { LOG_POLICY_LEVEL: 'loud' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`LogPolicyConfigError: ${(thrown as Error).message}`);
    expect(stderr).toContain('LOG_POLICY_LEVEL="loud" is not valid');
  });
});

describe('otel-log-policy explain --logger --level: one record', () => {
  test('per-frame debug from a noisy module: dropped by threshold, by the "openai" directive', () => {
    const { code, stdout } = cli(['explain', '--logger', 'openai.realtime', '--level', 'debug', '--key', 'AUDIO_DELTA', '--call']);
    expect(code).toBe(0);
    expect(line(stdout, 'record', 'record')).toBe('logger=openai.realtime level=DEBUG key=AUDIO_DELTA, inside a call');
    expect(line(stdout, 'threshold', 'record')).toMatch(/^WARN for "openai\.realtime", from rule "openai" \(noisy module\); DEBUG < WARN: dropped/);
    expect(line(stdout, 'verdict', 'record')).toBe('DROPPED by threshold (decided by rule "openai" (noisy module))');
  });

  test('the same record passes in development only if the directive allows it', () => {
    const { stdout } = cli(['explain', '--logger', 'openai.realtime', '--level', 'debug', '--key', 'AUDIO_DELTA', '--call'], {
      DEBUG: '0',
      LOG_POLICY_LEVELS: 'openai.realtime=debug',
    });
    expect(line(stdout, 'threshold', 'record')).toMatch(/from rule "openai\.realtime" \(LOG_POLICY_LEVELS\); DEBUG ≥ DEBUG: passes/);
    expect(line(stdout, 'rate limit', 'record')).toBe('AUDIO_DELTA: one record per 10s per call');
    expect(line(stdout, 'verdict', 'record')).toMatch(/^PASSES/);
    expect(thens(stdout)).toEqual([
      'a second one right after: DROPPED by rate_limit (a record with this key passed less than its interval ago)',
      'one 10s after the first: PASSES',
    ]);
  });

  test('TX_SLOW: WARN passes the noisy threshold, then the rate limit decides', () => {
    const { stdout } = cli(['explain', '--logger', 'server.media_ws_ai', '--level', 'warn', '--key', 'TX_SLOW', '--call']);
    expect(line(stdout, 'verdict', 'record')).toBe('PASSES (the first such record in a call)');
    expect(thens(stdout)[0]).toMatch(/DROPPED by rate_limit/);
    expect(thens(stdout)[1]).toBe('one 5s after the first: PASSES');
    expect(line(stdout, 'call budget', 'record')).toBe('not counted: WARN and above are exempt');
  });

  test('DEBUG_TX=1 lets a debug TX_ record through its noisy logger; then it counts against the budget', () => {
    const off = cli(['explain', '--logger', 'server.media_ws_ai', '--level', 'debug', '--key', 'TX_SLOW', '--call']);
    expect(line(off.stdout, 'verdict', 'record')).toMatch(/^DROPPED by threshold/);
    const on = cli(['explain', '--logger', 'server.media_ws_ai', '--level', 'debug', '--key', 'TX_SLOW', '--call'], { DEBUG_TX: '1' });
    expect(line(on.stdout, 'threshold', 'record')).toContain('but DEBUG_TX=1 lets TX_* keys pass down to DEBUG');
    // The call tail (LOG_POLICY_CALL_TAIL, 5 of the 20 by default) keeps the last such records for CALL_END.
    expect(thens(on.stdout).at(-1)).toBe(
      "once the call has used the 13 of its budget of 20 not kept for its tail and its CALL_START and CALL_END: HELD in the call's tail: the last 5 such records are sent just before CALL_END, older ones DROPPED by budget",
    );
  });

  test('a macro at INFO on a noisy logger: the macro exemption, then its once-key', () => {
    const { stdout } = cli(['explain', '--logger', 'server.services.audio_dsp', '--level', 'info', '--key', 'DSP', '--call']);
    expect(line(stdout, 'threshold', 'record')).toContain('INFO < WARN, but DSP is a macro event: exempt down to INFO');
    expect(line(stdout, 'call budget', 'record')).toBe('not counted: macro events are exempt');
    expect(thens(stdout)).toEqual(['a second one right after: DROPPED by once (its once-key was already used in this call)']);
  });

  test('an ERROR: the repeat rule alone; a repeat 30s later passes as WARN with the count', () => {
    const { stdout } = cli(['explain', '--logger', 'server.services.audio_dsp', '--level', 'error', '--key', 'DSP', '--call']);
    expect(line(stdout, 'error repeats', 'record')).toMatch(/^group "DSP" \(its key\)/);
    expect(thens(stdout)).toEqual([
      'a second one right after: DROPPED by repeat (the same error passed less than the repeat interval ago)',
      'one 30s after the first: PASSES downgraded to WARN with log.repeat_count=2',
    ]);
  });

  test('INFO inside a call counts against the budget; outside a call it does not', () => {
    const inCall = cli(['explain', '--logger', 'server.crm', '--level', 'info', '--call']);
    expect(line(inCall.stdout, 'threshold', 'record')).toContain('from the base level (no rule covers this logger); INFO ≥ INFO: passes');
    expect(thens(inCall.stdout)).toEqual([
      'a second one right after: PASSES',
      "once the call has used the 13 of its budget of 20 not kept for its tail and its CALL_START and CALL_END: HELD in the call's tail: the last 5 such records are sent just before CALL_END, older ones DROPPED by budget",
    ]);
    const noTail = cli(['explain', '--logger', 'server.crm', '--level', 'info', '--call'], { LOG_POLICY_CALL_TAIL: '0' });
    expect(thens(noTail.stdout).at(-1)).toBe("once the call has used its budget of 20: DROPPED by budget (the call's budget is used up)");
    const outside = cli(['explain', '--logger', 'server.crm', '--level', 'info']);
    expect(line(outside.stdout, 'call budget', 'record')).toBe('not counted: the budget applies inside calls only');
    expect(thens(outside.stdout)).toEqual(['a second one right after: PASSES']);
  });
});

describe('otel-log-policy explain --line: the template key and the rule that acts on a line', () => {
  test('a per-frame line: its template, the template limit, then the budget share and tail inside a call', () => {
    const { code, stdout } = cli(['explain', '--line', 'Received media message with timestamp: 1234ms', '--call']);
    expect(code).toBe(0);
    expect(line(stdout, 'template', 'record')).toBe('"Received media message with timestamp: <n>" (log.template: the line\'s key, numbers, ids and quoted strings replaced)');
    expect(line(stdout, 'template limit', 'record')).toContain('the first 3 pass, then one per 10s per call');
    expect(line(stdout, 'budget share', 'record')).toBe('one key or template may spend 5 of the 20 (LOG_POLICY_TEMPLATE_SHARE=25%)');
    expect(thens(stdout)).toContain('record 4 right after: DROPPED by template (its key or template already passed its first few, and one passed less than the interval ago)');
    expect(thens(stdout)).toContain('one 10s after the first: PASSES with log.suppressed_count=1');
  });

  test('development: no template limit; a tagged line has its tag as key and no template', () => {
    const dev = cli(['explain', '--line', 'frame 1234'], { DEBUG: '0' });
    expect(line(dev.stdout, 'template limit', 'record')).toBe('off in this mode (LOG_POLICY_TEMPLATE_LIMIT=none)');
    const tagged = cli(['explain', '--line', '[TX_SLOW] q=3', '--level', 'warn']);
    expect(line(tagged.stdout, 'template', 'record')).toContain('none: the key TX_SLOW stands for the line');
    expect(line(tagged.stdout, 'template limit', 'record')).toBe("none: TX_SLOW's own once-key or rate limit wins");
  });
});

describe('otel-log-policy: bad command lines exit 2', () => {
  test.each([
    [['explain', '--level', 'info'], '--logger and --level go together'],
    [['explain', '--logger', 'a', '--level', 'loud'], '--level "loud" is not a level'],
    [['explain', '--verbose'], "Unknown option '--verbose'"],
    [['explain', 'extra'], 'Unexpected argument'],
    [['explane'], 'unknown command "explane"'],
    [[], 'usage: otel-log-policy <command>'],
  ])('%j', (args, message) => {
    const { code, stderr } = cli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  test('--help exits 0', () => {
    expect(cli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('explain') });
    expect(cli(['explain', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--logger NAME') });
  });
});

describe('otel-log-policy explain --call ID: per-call escalation and the flight recorder', () => {
  test('a call listed in LOG_POLICY_VERBOSE_CALLS is escalated, and its records are judged by development thresholds', () => {
    const env = { LOG_POLICY_VERBOSE_CALLS: 'CA-42,CA-43' };
    const { code, stdout, stderr } = cli(['explain', '--call', 'CA-42'], env);
    expect(code, stderr).toBe(0);
    expect(line(stdout, 'verbose calls')).toMatch(/^CA-42, CA-43 \(LOG_POLICY_VERBOSE_CALLS; also escalated at run time/);
    expect(line(stdout, 'call')).toBe('CA-42: ESCALATED, listed in LOG_POLICY_VERBOSE_CALLS: development thresholds and no budget for this call');

    const record = cli(['explain', '--call', 'CA-42', '--logger', 'server.app', '--level', 'debug'], env);
    expect(line(record.stdout, 'record', 'record')).toContain('inside a call');
    expect(line(record.stdout, 'verdict', 'record')).toMatch(/^PASSES/);
    const plain = cli(['explain', '--call', 'CA-7', '--logger', 'server.app', '--level', 'debug'], env);
    expect(line(plain.stdout, 'verdict', 'record')).toMatch(/^DROPPED by threshold/);
  });

  test('a call not listed: not escalated, and the two run-time routes are named', () => {
    const { code, stdout } = cli(['explain', '--call', 'CA-7']);
    expect(code).toBe(0);
    expect(line(stdout, 'call')).toMatch(/^CA-7: not escalated, not listed in LOG_POLICY_VERBOSE_CALLS; .*'log\.policy\.mode': 'development'.*log\.policy\.verbose=1/);
  });

  test('a bare --call still means "inside some call"', () => {
    const { code, stdout } = cli(['explain', '--logger', 'server.app', '--level', 'info', '--call']);
    expect(code).toBe(0);
    expect(line(stdout, 'record', 'record')).toContain('inside a call');
    expect(line(stdout, 'call')).toBeUndefined();
  });

  test('the recorder line: off by default, its caps and flush triggers when on', () => {
    expect(line(cli(['explain']).stdout, 'recorder')).toMatch(/^off \(LOG_POLICY_RECORDER=200/);
    const on = cli(['explain'], { LOG_POLICY_RECORDER: '200', LOG_POLICY_RECORDER_FLUSH_ON: 'fatal,SERVER_ERROR' });
    expect(line(on.stdout, 'recorder')).toBe(
      'the last 200 dropped records of each call, at most 64KiB a call and 32MiB in all; sent before FATAL and above or SERVER_ERROR, discarded at a clean CALL_END',
    );
  });
});
