import { once } from 'node:events';
import { driveCalls, startFakeModel } from '../adoption/driver.ts';
import { BURN_NS, forkServer, type Way } from '../adoption/ways.ts';
import { median, QUICK, runCase } from '../harness.ts';
import { fmt, row, type Row } from '../report.ts';
import { startSink } from '../sink.ts';

/** Socket message events a call brings per second: 50 media frames and a mark in, 50 audio deltas and 0.8 turn events from the model. */
const EVENTS_PER_CALL_SECOND = 101.8;

/** The ways paired with the server without the package (`calls`, call scopes alone, is left to profileWay). */
type PairedWay = Extract<Way, 'none' | 'register' | 'hand' | 'sdkOnly' | 'burn'>;

interface Run {
  cpuMs: number;
  delayP99Ms: number;
}

/** A server of one way, started and listening, metering until told to stop. */
async function startServer(way: Way, modelUrl: string, otlpBase: string) {
  // Console to /dev/null in every way: the terminal's cost is not the package's.
  const { child, url } = await forkServer(way, { modelUrl, otlpUrl: otlpBase, env: { OTEL_SERVICE_NAME: 'adoption-bench' }, stderr: 'ignore' });
  return {
    url,
    start: () => child.send('start'),
    async stop(): Promise<Run> {
      child.send('stop');
      const [result] = (await once(child, 'message')) as [Run];
      child.kill('SIGTERM');
      await once(child, 'exit');
      return result;
    },
  };
}

/**
 * The server without the package and the server one other way, side by side: both get the same
 * calls at the same time, so the machine's moment (a shared VM: the same run alone varies by a
 * third from one minute to the next) weighs on both. Their ratio is the paired figure.
 */
async function runPair(way: Way, calls: number, seconds: number, modelUrl: string, otlpBase: string, tag: string, flip: boolean): Promise<{ none: Run; other: Run }> {
  const servers = await Promise.all([startServer('none', modelUrl, otlpBase), startServer(way, modelUrl, otlpBase)]);
  // Which server the driver serves first alternates from pair to pair, so that no way always goes second.
  const order = flip ? [servers[1]!, servers[0]!] : servers;
  const drive = (length: number, label: string) => Promise.all(order.map((server, i) => driveCalls(server.url, calls, length, `${tag}${label}${i}`)));
  // A server takes calls for hours: the same calls first, unmetered, so the JIT's and the heap's first minute is not in the figure.
  await drive(WARM_UP_SECONDS, 'w');
  for (const server of order) server.start();
  await drive(seconds, 'm');
  const [none, other] = await Promise.all(servers.map((server) => server.stop()));
  return { none: none!, other: other! };
}

/** Calls each pair takes before it is metered (see runPair). */
const WARM_UP_SECONDS = QUICK ? 5 : 30;

/**
 * A `ws` media-stream server with an outbound model socket (bench/adoption/voiceServer.mjs, written
 * as public samples are), N concurrent Twilio-protocol calls at 50 frames/s each way in real time.
 * Each way (under `--import otel-log-policy/register` with console capture and automatic call
 * scopes; with calls opened by hand; the SDK alone; the server without the package itself, as the
 * control that shows this machine's noise; the server without the package plus a known CPU cost per
 * socket event, the calibration that shows what a known cost measures as; bench/adoption/ways.ts)
 * runs side by side with the server without the package, in rotating order, after the same calls
 * for WARM_UP_SECONDS unmetered. The server's own process CPU per call-minute and its event-loop
 * delay p99; the ratio is the median of the pairs' ratios.
 */
runCase(async () => {
  const model = await startFakeModel();
  const sink = await startSink();
  const otlpBase = sink.url.replace(/\/v1\/logs$/, '');
  const seconds = QUICK ? 10 : 60;
  const rounds = QUICK ? 1 : 3;
  const rows: Row[] = [];
  try {
    for (const calls of [3, 20]) {
      // `none` against `none`: the control, what two identical servers side by side differ by on this machine.
      const others: PairedWay[] = ['register', 'hand', 'sdkOnly', 'none', 'burn'];
      const pairs: Record<PairedWay, Array<{ none: Run; other: Run }>> = { none: [], register: [], hand: [], sdkOnly: [], burn: [] };
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < others.length; k++) {
          const way = others[(round + k) % others.length]!;
          pairs[way].push(await runPair(way, calls, seconds, model.url, otlpBase, `${calls}${round}${k}`, (round + k) % 2 === 1));
        }
      }
      const callMinutes = (calls * seconds) / 60;
      const cpu = (runs: Run[]) => median(runs.map((r) => r.cpuMs)) / callMinutes;
      const ratios = (way: PairedWay) => pairs[way].map((p) => p.other.cpuMs / p.none.cpuMs);
      const delays = (way: PairedWay) => pairs[way].map((p) => p.other.delayP99Ms - p.none.delayP99Ms);
      const range = (values: number[]) => [Math.min(...values), Math.max(...values)];
      const noneRuns = others.flatMap((way) => pairs[way].map((p) => p.none));
      const detail = { calls, seconds, warmUpSeconds: WARM_UP_SECONDS, rounds, pairs };
      const register = ratios('register');
      const control = ratios('none');
      const burn = ratios('burn');
      // The burn's own share of the server's CPU, had it cost exactly itself.
      const burnShare = (BURN_NS * 1e-6 * EVENTS_PER_CALL_SECOND * calls * seconds) / median(pairs.burn.map((p) => p.none.cpuMs));
      rows.push(
        row({
          id: `adoption-cpu-${calls}`,
          case: `adoption, ${calls} calls: server CPU per call-minute, register vs no package (side by side)`,
          ours: `${fmt(cpu(pairs.register.map((p) => p.other)))} ms (pairs ${range(register)
            .map((v) => fmt(v))
            .join(
              '–',
            )}×; by hand ${fmt(median(ratios('hand')))}×; SDK alone ${fmt(median(ratios('sdkOnly')))}×; control, no package on both sides: ${fmt(median(control))}× (${range(
            control,
          )
            .map((v) => fmt(v))
            .join('–')}); ${fmt(BURN_NS / 1000)} µs of CPU per socket event, ${fmt(burnShare * 100)} % by itself: ${fmt(median(burn))}×)`,
          peer: `no package: ${fmt(cpu(noneRuns))} ms`,
          value: median(register),
          unit: '×',
          goal: { at: 'most', value: 1.03 },
          detail: {
            ...detail,
            ratioRange: range(register),
            handRatio: median(ratios('hand')),
            sdkOnlyRatio: median(ratios('sdkOnly')),
            controlRatio: median(control),
            controlRange: range(control),
            burnNs: BURN_NS,
            burnShare,
            burnRatio: median(burn),
            burnRange: range(burn),
          },
        }),
        row({
          id: `adoption-delay-${calls}`,
          case: `adoption, ${calls} calls: event-loop delay p99, register minus no package (side by side)`,
          ours: `${fmt(median(pairs.register.map((p) => p.other.delayP99Ms)))} ms (by hand: ${fmt(median(delays('hand')))} ms more)`,
          peer: `no package: ${fmt(median(noneRuns.map((r) => r.delayP99Ms)))} ms`,
          value: median(delays('register')),
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
