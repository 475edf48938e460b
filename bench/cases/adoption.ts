import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { driveCalls, startFakeModel } from '../adoption/driver.ts';
import { median, QUICK, runCase } from '../harness.ts';
import { fmt, row, type Row } from '../report.ts';
import { startSink } from '../sink.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SERVER = here('../adoption/voiceServer.mjs');
const METER = here('../adoption/meter.mjs');
const REGISTER = here('../../src/register.ts');

/** The three ways a team runs its server: as it is, under register (env only), with calls opened by hand. */
const WAYS = {
  none: { execArgv: ['--import', METER], env: {} },
  register: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_CAPTURE_CONSOLE: '1' } },
  hand: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_CAPTURE_CONSOLE: '1', LOG_POLICY_AUTO_CALLS: '0', HAND_CALLS: '1' } },
  /** Register with no console capture and no call scopes: what the SDK that register starts costs by itself. */
  sdkOnly: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_AUTO_CALLS: '0' } },
} as const;
type Way = keyof typeof WAYS;

interface Run {
  cpuMs: number;
  delayP99Ms: number;
}

/** Starts the server one way, runs `calls` concurrent calls of `seconds`, and reads the server's own meter. */
async function runOnce(way: Way, calls: number, seconds: number, modelUrl: string, otlpBase: string, tag: string): Promise<Run> {
  const { execArgv, env } = WAYS[way];
  const child = fork(SERVER, [], {
    execArgv: [...execArgv],
    // Console to /dev/null in every way: the terminal's cost is not the package's.
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: {
      ...process.env,
      ...env,
      PORT: '0',
      MODEL_URL: modelUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpBase,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'adoption-bench',
    },
  });
  try {
    const [{ port }] = (await once(child, 'message')) as [{ port: number }];
    child.send('start');
    await driveCalls(`ws://127.0.0.1:${port}/media-stream`, calls, seconds, tag);
    child.send('stop');
    const [result] = (await once(child, 'message')) as [Run];
    return result;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/**
 * A `ws` media-stream server with an outbound model socket (bench/adoption/voiceServer.mjs, written
 * as public samples are), N concurrent Twilio-protocol calls at 50 frames/s each way in real time,
 * run three ways in rotating order in one run: without the package (console to /dev/null), under
 * `--import otel-log-policy/register` with console capture and automatic call scopes, and with
 * calls opened by hand. The server's own process CPU per call-minute and its event-loop delay p99.
 */
runCase(async () => {
  const model = await startFakeModel();
  const sink = await startSink();
  const otlpBase = sink.url.replace(/\/v1\/logs$/, '');
  const seconds = QUICK ? 10 : 60;
  const rounds = QUICK ? 1 : 2;
  const rows: Row[] = [];
  try {
    for (const calls of [3, 20]) {
      const runs: Record<Way, Run[]> = { none: [], register: [], hand: [], sdkOnly: [] };
      const ways = Object.keys(WAYS) as Way[];
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < ways.length; k++) {
          const way = ways[(round + k) % ways.length]!;
          runs[way].push(await runOnce(way, calls, seconds, model.url, otlpBase, `${calls}${round}${k}`));
        }
      }
      const callMinutes = (calls * seconds) / 60;
      const cpu = (way: Way) => median(runs[way].map((r) => r.cpuMs)) / callMinutes;
      const p99 = (way: Way) => median(runs[way].map((r) => r.delayP99Ms));
      const detail = { calls, seconds, rounds, runs };
      rows.push(
        row({
          id: `adoption-cpu-${calls}`,
          case: `adoption, ${calls} calls: server CPU per call-minute, register vs no package`,
          ours: `${fmt(cpu('register'))} ms (by hand: ${fmt(cpu('hand'))} ms; SDK alone: ${fmt(cpu('sdkOnly'))} ms)`,
          peer: `no package: ${fmt(cpu('none'))} ms`,
          value: cpu('register') / cpu('none'),
          unit: '×',
          goal: { at: 'most', value: 1.03 },
          detail: { ...detail, handRatio: cpu('hand') / cpu('none'), sdkOnlyRatio: cpu('sdkOnly') / cpu('none') },
        }),
        row({
          id: `adoption-delay-${calls}`,
          case: `adoption, ${calls} calls: event-loop delay p99, register minus no package`,
          ours: `${fmt(p99('register'))} ms (by hand: ${fmt(p99('hand'))} ms)`,
          peer: `no package: ${fmt(p99('none'))} ms`,
          value: p99('register') - p99('none'),
          unit: ' ms',
          goal: { at: 'most', value: 1 },
          detail,
        }),
      );
    }
  } finally {
    await model.close();
    sink.close();
  }
  return rows;
});
