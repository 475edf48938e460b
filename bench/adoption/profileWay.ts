// One adoption run, one way, for profiling (not part of `npm run bench`):
//   node bench/adoption/profileWay.ts WAY CALLS SECONDS [PROFILE_DIR]
// WAY is none, sdkOnly, calls (register, call scopes, no console capture) or register. With a
// PROFILE_DIR the server runs under --cpu-prof (PROF_INTERVAL=µs sets its sampling interval, default
// 1000); read it with bench/profileSummary.ts.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startSink } from '../sink.ts';
import { driveCalls, startFakeModel } from './driver.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const [way = 'register', calls = '20', seconds = '20', profileDir] = process.argv.slice(2);
const REGISTER = here('../../src/register.ts');
const METER = here('./meter.mjs');
// The profile is written only on a normal exit.
const EXIT_ON_SIGINT = 'data:text/javascript,process.on("SIGINT",()=>process.exit(0))';
const WAYS: Record<string, { execArgv: string[]; env: Record<string, string> }> = {
  none: { execArgv: ['--import', METER], env: {} },
  sdkOnly: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_AUTO_CALLS: '0' } },
  calls: { execArgv: ['--import', METER, '--import', REGISTER], env: {} },
  register: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_CAPTURE_CONSOLE: '1' } },
};
const chosen = WAYS[way];
if (chosen === undefined) throw new Error(`WAY is ${way}; accepted: ${Object.keys(WAYS).join(', ')}`);
const model = await startFakeModel();
const sink = await startSink();
const child = fork(here('./voiceServer.mjs'), [], {
  execArgv: [
    ...chosen.execArgv,
    '--import',
    EXIT_ON_SIGINT,
    ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...(process.env.PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.PROF_INTERVAL}`] : [])]),
  ],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  env: {
    ...process.env,
    ...chosen.env,
    PORT: '0',
    MODEL_URL: model.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url.replace(/\/v1\/logs$/, ''),
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    LOG_POLICY_QUIET: '1',
  },
});
const [{ port }] = (await once(child, 'message')) as [{ port: number }];
child.send('start');
await driveCalls(`ws://127.0.0.1:${port}/media-stream`, Number(calls), Number(seconds), 'p');
child.send('stop');
const [result] = (await once(child, 'message')) as [unknown];
console.log(way, JSON.stringify(result));
child.kill('SIGINT');
await once(child, 'exit');
await model.close();
sink.close();
