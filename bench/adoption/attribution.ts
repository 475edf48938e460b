// The package's own share of a voice server's CPU, from an in-process profile: each sample of the
// metered window counts once (a sample's time delta is wall time: one taken after the thread was
// off the CPU for 10 ms would carry those 10 ms to wherever it landed) and goes to the nearest frame above it that is the package's (this package's src/,
// @opentelemetry/*, the module hooks) or the app's (the server, `ws`); Node's own frames go to
// whichever called them. Both shares come from one process at one moment, so the machine's moment,
// which moves a timed ratio by ±15 % on a shared VM, cancels. It cannot see a cost the package causes
// inside the app's own code, the GC's helper threads or the kernel (the GC's main-thread share is
// reported; compare the server without the package). The share that the goal's ratio turns on is
// of the process's CPU: the main thread's share, times the main thread's CPU, over the CPU of every
// thread but the profiler's own (the kernel's work for the sockets and V8's helper threads are in it).
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { driveCalls } from './driver.ts';
import { forkServer, type Way } from './ways.ts';

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
/** V8's CPU profiler samples from its own thread: its CPU is the measurement's, not the server's. */
const PROFILER_THREAD = 'v8:ProfEvntProc';
/** The package's socket wrapper and the frame switch it may call: the `emit` they call is the app's dispatch. */
const DISPATCHERS = new Set(['emitInCall', 'runInAsyncScope']);
const APP = /\/bench\/adoption\/voiceServer\.mjs|\/node_modules\/ws\//;

/** Samples of the window [fromMs, toMs) (from the profile's start) per owner, and per package file. */
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
    else if (functionName === 'emit' && url === 'node:events' && up !== undefined && DISPATCHERS.has(byId.get(up)!.callFrame.functionName)) owner = 'app';
    else if (up === undefined || byId.get(up)!.callFrame.functionName === '(root)') owner = functionName || 'node';
    else owner = ownerOf(up);
    owners.set(id, owner);
    return owner;
  };
  const samples = new Map<string, number>();
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]! / 1000;
    if (t < fromMs || t >= toMs) continue;
    const id = profile.samples[i]!;
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const owner = ownerOf(id);
    samples.set(owner, (samples.get(owner) ?? 0) + 1);
  }
  return samples;
}

export interface Share {
  /** Process CPU in the metered window (the profiler's own thread included). */
  cpuMs: number;
  /** The window's CPU by thread name (`main`, `V8Worker`, the profiler's `v8:ProfEvntProc`...), 10 ms ticks. */
  threadMs: Record<string, number>;
  /** The window's samples of the main thread, not idle. */
  samples: number;
  /** The package's share of those samples, and the main thread's CPU in that share. */
  mainShare: number;
  packageMs: number;
  /** `packageMs` over the CPU of every thread but the profiler's: what the goal's ratio turns on (0–1). */
  processShare: number;
  /** The GC's share of the main thread's samples. */
  gcShare: number;
  /** The package's main-thread CPU per file (ms, as `packageMs`), largest first. */
  files: Array<[string, number]>;
}

/**
 * One server of `way` under --cpu-prof (sampling every `intervalUs`), `calls` calls for `warm`
 * seconds unmetered, then `seconds` metered; the window's samples attributed.
 */
export async function measureShare(
  way: Way,
  options: { modelUrl: string; otlpUrl: string; calls: number; warm: number; seconds: number; intervalUs: number; keepProfile?: boolean },
): Promise<Share> {
  const dir = mkdtempSync(path.join(tmpdir(), 'attribute-'));
  try {
    // The profile is written only on a normal exit.
    const exitOnSigint = 'data:text/javascript,process.on("SIGINT",()=>process.exit(0))';
    const forkedAt = performance.now();
    const { child, url } = await forkServer(way, {
      modelUrl: options.modelUrl,
      otlpUrl: options.otlpUrl,
      env: { LOG_POLICY_QUIET: '1' },
      extraArgv: ['--import', exitOnSigint, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${options.intervalUs}`],
      stderr: 'inherit',
    });
    await driveCalls(url, options.calls, options.warm, 'w');
    // The profile starts as the process does, a few ms after the fork: the window is that much early at most.
    const from = performance.now() - forkedAt;
    child.send('start');
    await driveCalls(url, options.calls, options.seconds, 'm');
    child.send('stop');
    const to = performance.now() - forkedAt;
    const [meter] = (await once(child, 'message')) as [{ cpuMs: number; threadMs: Record<string, number> }];
    child.kill('SIGINT');
    await once(child, 'exit');
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`no profile written in ${dir}`);
    if (options.keepProfile) console.log(`metered window: ${from.toFixed(0)}–${to.toFixed(0)} ms from the profile's start`);
    const counts = attribute(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile, from, to);
    const main = meter.threadMs['main'];
    if (main === undefined) throw new Error('the server reported no CPU by thread (is there a /proc?)');
    const busy = [...counts.values()].reduce((a, b) => a + b, 0);
    const msOf = (n: number) => (n / busy) * main;
    const files = [...counts]
      .filter(([owner]) => owner.startsWith('package '))
      .map(([owner, n]): [string, number] => [owner.slice(8), msOf(n)])
      .sort((a, b) => b[1] - a[1]);
    const packageMs = files.reduce((a, [, v]) => a + v, 0);
    const withoutProfiler = Object.entries(meter.threadMs)
      .filter(([name]) => name !== PROFILER_THREAD)
      .reduce((a, [, v]) => a + v, 0);
    return {
      cpuMs: meter.cpuMs,
      threadMs: meter.threadMs,
      samples: busy,
      mainShare: packageMs / main,
      packageMs,
      processShare: packageMs / withoutProfiler,
      gcShare: (counts.get('(garbage collector)') ?? 0) / busy,
      files,
    };
  } finally {
    if (options.keepProfile) console.log(`profile kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
