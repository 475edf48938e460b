// The package's own share of one way's CPU, from inside the server (not part of `npm run bench`):
//   node bench/adoption/attributeWay.ts [WAY=register] [CALLS=20] [WARM=30] [SECONDS=30]
// The server runs under --cpu-prof (PROF_INTERVAL=µs, default 250) and takes CALLS calls for WARM
// seconds unmetered, then SECONDS metered. Each sample of the metered window goes to the nearest
// frame above it that is the package's (this package's src/, @opentelemetry/*, the module hooks) or
// the app's (the server, `ws`); Node's own frames go to whichever called them. Both shares come from
// one process at one moment, so the machine's moment, which moves a timed ratio by ±15 % here,
// cancels. What it cannot see: a cost the package causes in the app's own code, the GC's threads
// and the kernel (the GC's main-thread share is printed for each way; compare WAY=none).
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSink } from '../sink.ts';
import { driveCalls, startFakeModel } from './driver.ts';
import { forkServer, wayOf } from './ways.ts';

const [wayArg = 'register', calls = '20', warm = '30', seconds = '30'] = process.argv.slice(2);
const way = wayOf(wayArg, 'WAY');
const interval = process.env.PROF_INTERVAL ?? '250';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PACKAGE = /\/src\/(?:api|bridges|calls|config|pipeline|policy|sdk|state)\/|\/src\/(?:register|index)\.ts|@opentelemetry\/|import-in-the-middle|require-in-the-middle|shimmer/;
const APP = /\/bench\/adoption\/voiceServer\.mjs|\/node_modules\/ws\//;

/** Milliseconds of the window [fromMs, toMs) (from the profile's start) per owner, and per package file. */
function attribute(profile: Profile, fromMs: number, toMs: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owners.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const up = parent.get(id);
    const { url, functionName } = node.callFrame;
    let owner: string;
    if (PACKAGE.test(url)) owner = `package ${url.replace(/^.*\/node_modules\/|^.*\/src\//, '')}`;
    else if (APP.test(url)) owner = 'app';
    // The listeners' dispatch under the package's socket wrapper is the app's: it pays it without the package too.
    else if (functionName === 'emit' && url === 'node:events' && up !== undefined && byId.get(up)!.callFrame.functionName === 'runInAsyncScope') owner = 'app';
    else if (up === undefined || byId.get(up)!.callFrame.functionName === '(root)') owner = functionName || 'node';
    else owner = ownerOf(up);
    owners.set(id, owner);
    return owner;
  };
  const ms = new Map<string, number>();
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]! / 1000;
    if (t < fromMs || t >= toMs) continue;
    const id = profile.samples[i]!;
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const owner = ownerOf(id);
    ms.set(owner, (ms.get(owner) ?? 0) + profile.timeDeltas[i]! / 1000);
  }
  return ms;
}

const model = await startFakeModel();
const sink = await startSink();
const dir = mkdtempSync(path.join(tmpdir(), 'attribute-'));
try {
  // The profile is written only on a normal exit.
  const exitOnSigint = 'data:text/javascript,process.on("SIGINT",()=>process.exit(0))';
  const forkedAt = performance.now();
  const { child, url } = await forkServer(way, {
    modelUrl: model.url,
    otlpUrl: sink.url,
    env: { LOG_POLICY_QUIET: '1' },
    extraArgv: ['--import', exitOnSigint, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${interval}`],
    stderr: 'inherit',
  });
  await driveCalls(url, Number(calls), Number(warm), 'w');
  const from = performance.now() - forkedAt;
  child.send('start');
  await driveCalls(url, Number(calls), Number(seconds), 'm');
  child.send('stop');
  const to = performance.now() - forkedAt;
  const [meter] = (await once(child, 'message')) as [{ cpuMs: number }];
  child.kill('SIGINT');
  await once(child, 'exit');
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no profile written in ${dir}`);
  const ms = attribute(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile, from, to);
  const busy = [...ms.values()].reduce((a, b) => a + b, 0);
  const packageMs = [...ms].filter(([owner]) => owner.startsWith('package ')).reduce((a, [, v]) => a + v, 0);
  const share = (v: number) => `${((100 * v) / busy).toFixed(2)} %`;
  console.log(`${way}, ${calls} calls, ${seconds} s after ${warm} s: process CPU ${meter.cpuMs.toFixed(0)} ms; main thread busy ${busy.toFixed(0)} ms in samples`);
  console.log(`  the package: ${packageMs.toFixed(1)} ms, ${share(packageMs)}; the app: ${share(ms.get('app') ?? 0)}; the GC: ${share(ms.get('(garbage collector)') ?? 0)}`);
  const files = [...ms].filter(([owner]) => owner.startsWith('package ')).sort((a, b) => b[1] - a[1]);
  for (const [owner, v] of files.slice(0, 12)) console.log(`  ${v.toFixed(1).padStart(7)} ms ${share(v).padStart(8)}  ${owner.slice(8)}`);
} finally {
  await model.close();
  sink.close();
  if (process.env.KEEP_PROFILE === undefined) rmSync(dir, { recursive: true, force: true });
  else console.log(`  profile kept in ${dir}`);
}
