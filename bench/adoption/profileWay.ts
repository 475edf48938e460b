// One adoption run, one way, for profiling (not part of `npm run bench`):
//   node bench/adoption/profileWay.ts WAY CALLS SECONDS [PROFILE_DIR]
// WAY is one of bench/adoption/ways.ts (none, register, sdkOnly, calls, ...). With a
// PROFILE_DIR the server runs under --cpu-prof (PROF_INTERVAL=µs sets its sampling interval, default
// 1000); read it with bench/profileSummary.ts.
import { once } from 'node:events';
import { startSink } from '../sink.ts';
import { driveCalls, startFakeModel } from './driver.ts';
import { forkServer, wayOf } from './ways.ts';

const [wayArg = 'register', calls = '20', seconds = '20', profileDir] = process.argv.slice(2);
// The profile is written only on a normal exit.
const EXIT_ON_SIGINT = 'data:text/javascript,process.on("SIGINT",()=>process.exit(0))';
const way = wayOf(wayArg, 'WAY');
const model = await startFakeModel();
const sink = await startSink();
const profile =
  profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...(process.env.PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.PROF_INTERVAL}`] : [])];
const { child, url } = await forkServer(way, {
  modelUrl: model.url,
  otlpUrl: sink.url,
  env: { LOG_POLICY_QUIET: '1' },
  extraArgv: ['--import', EXIT_ON_SIGINT, ...profile],
  stderr: 'inherit',
});
child.send('start');
await driveCalls(url, Number(calls), Number(seconds), 'p');
child.send('stop');
const [result] = (await once(child, 'message')) as [unknown];
console.log(way, JSON.stringify(result));
child.kill('SIGINT');
await once(child, 'exit');
await model.close();
sink.close();
