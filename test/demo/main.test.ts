import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const TIMEOUT = 60_000;

/** The parent's environment without anything that would change the policy or the destination. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OTEL_|LOG_POLICY_|DEBUG$|DEBUG_TX$)/.test(name)));
  return { ...env, NO_COLOR: '1', ...extra };
}

/** `npm run demo -- ...args` as a user runs it; resolves with exit code and output even on failure. */
async function demo(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'demo', '--', ...args], { cwd: ROOT, env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function totals(stdout: string) {
  const match = /^total\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(stdout);
  expect(match, `no total row in:\n${stdout}`).not.toBeNull();
  return { produced: Number(match![1]), built: Number(match![2]), exported: Number(match![3]) };
}

describe('npm run demo (console)', () => {
  test('production prints the passing records and a table; development (DEBUG=0) exports far more', { timeout: TIMEOUT }, async () => {
    const prod = await demo(['--calls', '2', '--duration', '30']);
    expect(prod.code, prod.stderr).toBe(0);
    expect(prod.stdout).toContain('Policy: production mode (default: neither LOG_POLICY_MODE nor DEBUG is set)');
    expect(prod.stdout).toMatch(/^call-1\s+\d+\s+\d+\s+\d+/m);
    expect(prod.stdout).toMatch(/^call-2\s+\d+\s+\d+\s+\d+/m);
    expect(prod.stdout).toMatch(/dropped by reason: threshold \d+ · once \d+ · rate_limit \d+ · repeat \d+ · budget \d+/);
    expect(prod.stdout).toMatch(/^\+00:00\.000 INFO {2}call-1 {2}otel-log-policy\s+\[CALL_START\] call call-1 started/m);
    expect(prod.stdout).toMatch(/WARN {2}call-\d\s+server\.media_ws_ai\s+\[TX_SLOW\]/);
    expect(prod.stdout).not.toMatch(/\[RMS\]|\[AUDIO_DELTA\]|\[UTTERANCE\]/);

    const dev = await demo(['--calls', '2', '--duration', '30'], { DEBUG: '0' });
    expect(dev.code, dev.stderr).toBe(0);
    expect(dev.stdout).toContain('Policy: development mode (set by DEBUG=0)');
    expect(dev.stdout).toMatch(/DEBUG call-\d\s+server\.conversation\s+\[UTTERANCE\]/);

    const p = totals(prod.stdout);
    const d = totals(dev.stdout);
    expect(p.produced).toBeGreaterThan(4000);
    expect(d.produced).toBe(p.produced); // same calls, same log calls: only the policy differs
    expect(d.exported).toBeGreaterThan(2 * p.exported);
    // One printed line per exported record.
    expect(prod.stdout.split('\n').filter((line) => line.startsWith('+')).length).toBe(p.exported);
  });

  test('a bad flag or flag value exits 2 with the usage', { timeout: TIMEOUT }, async () => {
    const unknown = await demo(['--callz', '2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--callz'");
    expect(unknown.stderr).toContain('usage: npm run demo');
    const bad = await demo(['--duration', 'long']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--duration "long" is not valid');
  });

  test("--fail-call with the flight recorder shows one call's dropped records before its error; --verbose-call escalates one call", { timeout: TIMEOUT }, async () => {
    const result = await demo(['--calls', '3', '--duration', '20', '--speed', 'max', '--fail-call', '2', '--verbose-call', '1'], {
      LOG_POLICY_RECORDER: '200',
      LOG_POLICY_RECORDER_FLUSH_ON: 'SERVER_ERROR',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('call-2 breaks half-way with a SERVER_ERROR');
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('+'));
    const recorded = lines.filter((line) => line.includes('log.recorded=true'));
    expect(recorded.length).toBeGreaterThan(50);
    expect(recorded.every((line) => /^\S+ \w+\s+call-2 /.test(line))).toBe(true);
    // The flushed records come right before the error, then the error.
    const error = lines.findIndex((line) => /call-2 .*\[SERVER_ERROR\]/.test(line));
    expect(lines.slice(error - recorded.length, error)).toEqual(recorded);
    // The escalated call logs DEBUG and says why; the production calls log none (call-2's are only the flushed ones).
    expect(lines.find((line) => line.includes('call-1 ') && line.includes('[CALL_START]'))).toContain('log.policy.escalated=attribute');
    expect(lines.some((line) => / DEBUG call-1 /.test(line))).toBe(true);
    expect(lines.some((line) => / DEBUG call-3 /.test(line))).toBe(false);
    expect(lines.filter((line) => / DEBUG call-2 /.test(line)).every((line) => line.includes('log.recorded=true'))).toBe(true);
    expect(result.stdout).toMatch(
      /^flight recorder \(last 200 per call\): \d+ kept · [1-9]\d* flushed before errors \(log\.recorded=true\) · [1-9]\d* discarded with clean calls/m,
    );
  });

  test('--fail-call and --verbose-call take a call number within --calls', { timeout: TIMEOUT }, async () => {
    const bad = await demo(['--calls', '2', '--fail-call', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-call "3" is not valid: accepted: a call number from 1 to 2 (--calls)');
  });

  test('a bad LOG_POLICY_* value prints the LogPolicyConfigError message and exits 2', { timeout: TIMEOUT }, async () => {
    const result = await demo(['--calls', '1'], { LOG_POLICY_RATE_LIMITS: 'TX_SLOW=fast' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LogPolicyConfigError: LOG_POLICY_RATE_LIMITS="TX_SLOW=fast" is not valid');
    expect(result.stdout).toBe('');
  });
});

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpLogs {
  resourceLogs: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeLogs: Array<{ logRecords: Array<{ traceId?: string; body?: { stringValue?: string }; attributes?: OtlpAttribute[] }> }>;
  }>;
}

describe('npm run demo (OTLP endpoint set)', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

  test('sends the passing records to the collector with service.name and one trace id per call', { timeout: TIMEOUT }, async () => {
    const logs: OtlpLogs[] = [];
    let traceRequests = 0;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/v1/logs') logs.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpLogs);
        if (req.url === '/v1/traces') traceRequests++;
        res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // This server reads OTLP/JSON: the demo's exporter follows the protocol variable as NodeSDK's does.
    const result = await demo(['--calls', '2', '--duration', '30'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'demo-under-test',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Sent to ${endpoint} as service.name=demo-under-test.`);
    expect(result.stdout).not.toMatch(/^\+00:/m); // records go to the collector, not the console
    // The spans only give records their trace ids: exported only when OTEL_TRACES_EXPORTER asks (the collector takes logs).
    expect(traceRequests).toBe(0);

    const records = logs
      .flatMap((batch) => batch.resourceLogs)
      .flatMap((rl) => {
        const service = rl.resource.attributes.find((a) => a.key === 'service.name')?.value['stringValue'];
        return rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({ ...r, service })));
      });
    expect(records.length).toBe(totals(result.stdout).exported);
    expect(new Set(records.map((r) => r.service))).toEqual(new Set(['demo-under-test']));
    const traceOf = new Map<string, Set<string | undefined>>();
    for (const record of records) {
      const call = record.attributes?.find((a) => a.key === 'call.id')?.value['stringValue'];
      if (typeof call !== 'string') continue;
      if (!traceOf.has(call)) traceOf.set(call, new Set());
      traceOf.get(call)!.add(record.traceId);
    }
    expect([...traceOf.keys()].sort()).toEqual(['call-1', 'call-2']);
    const [a, b] = [[...traceOf.get('call-1')!], [...traceOf.get('call-2')!]];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(a[0]).not.toBe(b[0]);
  });
});

test('an unreachable collector: the table still prints, then a clear failure and exit 1', { timeout: TIMEOUT }, async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const result = await demo(['--calls', '1', '--duration', '5'], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_TIMEOUT: '300' });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^total\s+\d+\s+\d+\s+0\s/m);
  expect(result.stdout).toMatch(/export FAILED for \d+ records/);
  expect(result.stderr).toContain(`demo: sending to http://127.0.0.1:${port} failed`);
});
