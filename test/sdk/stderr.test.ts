import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { loadCallsConfig } from '../../src/config/callsConfig.ts';
import { describeDestination, startupLine } from '../../src/sdk/startupLine.ts';
import { fixture, REGISTER, runNode, type ChildResult } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink } from '../helpers/otlpSink.ts';

/** A port that was just open and is closed now: nothing listens there, connections are refused. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * What reaches the terminal with `--import register` and without it: a plain app (stderrApp.ts), the
 * same scenario, the same environment. Under register the first stderr line is its start-up line;
 * the rest must be what the app alone prints.
 */
describe('what the app writes to its terminal, with register and without', { timeout: 60_000 }, () => {
  let sink: OtlpSink;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    sink = await startOtlpSink();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await sink.close();
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });

  const baseEnv = (service: string): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_SERVICE_NAME: service,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    PORT: String(busyPort),
  });
  const alone = (scenario: string): Promise<ChildResult> => runNode([fixture('stderrApp.ts'), scenario], { env: baseEnv('alone') });
  const registered = (scenario: string, env: Record<string, string> = {}): Promise<ChildResult> =>
    runNode(['--import', REGISTER, fixture('stderrApp.ts'), scenario], { env: { ...baseEnv(`stderr-${scenario}`), ...env } });

  /** The start-up line register prints for `env`, as the unit-tested function words it. */
  const expectedStartup = (env: Record<string, string>): string => {
    const full = { ...baseEnv(''), ...env };
    return `otel-log-policy: ${startupLine({
      policy: loadPolicyConfig(full),
      destination: describeDestination(full),
      console: { captured: full['LOG_POLICY_CAPTURE_CONSOLE'] === '1', echo: (full['LOG_POLICY_CONSOLE_ECHO'] ?? 'errors') as 'all' | 'errors' | 'none' },
      calls: { enabled: loadCallsConfig(full).autoCalls, paths: loadCallsConfig(full).callPaths },
    })}\n`;
  };

  /** stderr under register = the start-up line, then exactly what the app alone wrote. */
  function expectSameTerminal(withPackage: ChildResult, without: ChildResult, env: Record<string, string>): void {
    expect(withPackage.code).toBe(without.code);
    expect(withPackage.signal).toBe(without.signal);
    expect(withPackage.stderr).toBe(expectedStartup(env) + without.stderr);
  }

  const capture = { LOG_POLICY_CAPTURE_CONSOLE: '1' };

  it('console.error + process.exit(1) at start-up: the line is on stderr, exit code 1, console captured or not', async () => {
    const without = await alone('exit');
    expect(without).toMatchObject({ code: 1, stdout: 'starting\n', stderr: 'Missing OPENAI_API_KEY: set it in .env\n' });
    expectSameTerminal(await registered('exit', capture), without, capture);
    const uncaptured = await registered('exit');
    expectSameTerminal(uncaptured, without, {});
    expect(uncaptured.stdout).toBe('starting\n');
  });

  it('a port already in use (EADDRINUSE, uncaught): Node prints the error and exits 1, as without the package', async () => {
    const without = await alone('eaddrinuse');
    expect(without.code).toBe(1);
    expect(without.stderr).toContain(`Error: listen EADDRINUSE: address already in use 127.0.0.1:${busyPort}`);
    expectSameTerminal(await registered('eaddrinuse', capture), without, capture);
  });

  it('a port already in use, printed by the app with console.error then process.exit(1) (the fastify sample style)', async () => {
    const without = await alone('listen-exit');
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('EADDRINUSE');
    expectSameTerminal(await registered('listen-exit', capture), without, capture);
  });

  it('an uncaught throw: same stack on stderr, same exit code', async () => {
    const without = await alone('throw');
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('Error: uncaught in a timer');
    expectSameTerminal(await registered('throw', capture), without, capture);
  });

  it('an unhandled rejection: same text on stderr, same exit code', async () => {
    const without = await alone('reject');
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('Error: nobody handles this rejection');
    expectSameTerminal(await registered('reject', capture), without, capture);
  });

  describe('captured console calls, by LOG_POLICY_CONSOLE_ECHO', () => {
    it('errors (the default): console.warn/error still on stderr, console.log/info not printed; all of them exported', async () => {
      const without = await alone('console');
      expect(without.stdout).toBe('[BOOT] a log line\nan info line\na debug line\n');
      expect(without.stderr).toContain('[TX_SLOW] a warning\nan error line Error: boom\n');
      const result = await registered('console', capture);
      expectSameTerminal(result, without, capture);
      expect(result.stdout).toBe('');
      // A natural end leaves time for the export: the captured lines reach the collector too.
      const records = await sink.waitFor((rs) => rs.filter((r) => r.resource['service.name'] === 'stderr-console').length >= 4);
      const bodies = records.filter((r) => r.resource['service.name'] === 'stderr-console').map((r) => String(r.body).split('\n')[0]);
      expect(bodies.sort()).toEqual(['[BOOT] a log line', '[TX_SLOW] a warning', 'an error line Error: boom', 'an info line']);
    });

    it('all: stdout and stderr exactly as without the package', async () => {
      const env = { ...capture, LOG_POLICY_CONSOLE_ECHO: 'all' };
      const without = await alone('console');
      const result = await registered('console', env);
      expectSameTerminal(result, without, env);
      expect(result.stdout).toBe(without.stdout);
    });

    it('1, the older flag, is all', async () => {
      const result = await registered('console', { ...capture, LOG_POLICY_CONSOLE_ECHO: '1', LOG_POLICY_QUIET: '1' });
      expect(result.stdout).toBe((await alone('console')).stdout);
    });

    it('none: nothing printed, only the start-up line', async () => {
      const env = { ...capture, LOG_POLICY_CONSOLE_ECHO: 'none' };
      const result = await registered('console', env);
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: expectedStartup(env) });
    });
  });

  describe('what register says on stderr', () => {
    it('one start-up line: mode and why, where records go, console capture, calls auto-scoped', async () => {
      const result = await registered('console', { LOG_POLICY_MODE: 'development' });
      const lines = result.stderr.split('\n');
      expect(lines[0]).toBe(
        `otel-log-policy: development mode (set by LOG_POLICY_MODE=development); records to OTLP http/protobuf ${sink.url}/v1/logs (OTEL_EXPORTER_OTLP_ENDPOINT); console not captured (LOG_POLICY_CAPTURE_CONSOLE=1 captures it); calls auto-scoped on every websocket upgrade; LOG_POLICY_QUIET=1 hides this line`,
      );
      expect(result.stderr.match(/otel-log-policy:/g)).toHaveLength(1);
    });

    it('with OTEL_SDK_DISABLED=true it says nothing started, and leaves the console as it is', async () => {
      const without = await alone('exit');
      const result = await registered('exit', { ...capture, OTEL_SDK_DISABLED: 'true' });
      expect(result).toMatchObject({ code: 1, stdout: without.stdout });
      expect(result.stderr).toBe(`otel-log-policy: OTEL_SDK_DISABLED is set: nothing started, the console left as it is\n${without.stderr}`);
    });

    it('a collector that refuses connections: one warning at the first failed export, with the counts', async () => {
      const port = await deadPort();
      const result = await registered('console', {
        ...capture,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        // The exporter's own retries give up after this, so the first failure comes quickly.
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      });
      expect(result.code).toBe(0);
      const warnings = result.stderr.split('\n').filter((line) => line.includes('exporting logs failed'));
      expect(warnings).toHaveLength(1);
      // The cause, and the counts: the INFO and WARN lines lost, the BOOT (a macro event) and the ERROR kept for re-sending.
      expect(warnings[0]).toMatch(
        /^otel-log-policy: exporting logs failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): 2 records lost so far, 2 lifecycle\/ERROR records buffered for re-sending;/,
      );
    });

    it("LOG_POLICY_QUIET=1 silences both the start-up line and the failure warning; the app's own lines stay", async () => {
      const port = await deadPort();
      const result = await registered('console', {
        ...capture,
        LOG_POLICY_QUIET: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe((await alone('console')).stderr);
    });
  });
});
