// User-space instructions of the adoption server, counted by valgrind (not part of `npm run bench`):
//   node bench/adoption/countInstructions.ts [CALLS=1] [SHORT=60] [LONG=120] [WAYS=none,register]
// KEEP_DIR=dir keeps each run's cachegrind file there as WAY.SECONDS.out (compare two with cg_diff,
// read one with cg_annotate).
// Each way runs twice under `valgrind --tool=cachegrind --cache-sim=no`, SHORT and LONG seconds of
// the same calls; LONG less SHORT is what the calls in between cost, start-up cancelled. The count
// holds no kernel time and no other process's moment, which the side-by-side CPU ratio cannot
// shed on a shared VM. Valgrind runs the server ~20× slower: one call keeps up, a few do not.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSink } from '../sink.ts';
import { driveCalls, startFakeModel } from './driver.ts';
import { forkServer, type Way, wayOf } from './ways.ts';

const [calls = '1', short = '60', long = '120', waysArg = 'none,register'] = process.argv.slice(2);
const ways = waysArg.split(',').map((way) => wayOf(way, 'WAYS'));
try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  throw new Error('valgrind is not on PATH (Debian: apt-get install valgrind)');
}
const dir = mkdtempSync(path.join(tmpdir(), 'instructions-'));
// fork() runs its execPath with the execArgv: a script that puts valgrind in front of this Node.
const wrapper = path.join(dir, 'node-under-valgrind.sh');
writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=${dir}/cg.%p.out --log-file=${dir}/log.%p ${process.execPath} "$@"\n`);
chmodSync(wrapper, 0o755);

const model = await startFakeModel();
const sink = await startSink();
/** Instructions of one run of `seconds`, the whole process (every thread), start-up included. */
async function run(way: Way, seconds: number): Promise<number> {
  const { child, url } = await forkServer(way, { modelUrl: model.url, otlpUrl: sink.url, env: { LOG_POLICY_QUIET: '1' }, execPath: wrapper, stderr: 'inherit' });
  await driveCalls(url, Number(calls), seconds, `i${way}${seconds}`);
  child.kill('SIGINT'); // valgrind writes its counts as the process ends
  await once(child, 'exit');
  const out = path.join(dir, `cg.${child.pid}.out`);
  if (process.env.KEEP_DIR) copyFileSync(out, path.join(process.env.KEEP_DIR, `${way}.${seconds}.out`));
  const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
  if (summary === null) throw new Error(`no cachegrind summary for ${way} ${seconds}s`);
  return Number(summary[1]);
}
try {
  for (const way of ways) {
    const a = await run(way, Number(short));
    const b = await run(way, Number(long));
    const perCallSecond = (b - a) / (Number(calls) * (Number(long) - Number(short)));
    console.log(
      `${way}: ${(a / 1e6).toFixed(0)}M in ${short}s, ${(b / 1e6).toFixed(0)}M in ${long}s; ${(perCallSecond / 1e6).toFixed(2)}M instructions per call-second between them`,
    );
  }
} finally {
  await model.close();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
