// The package's own share of one way's CPU, from inside the server (bench/adoption/attribution.ts):
//   node bench/adoption/attributeWay.ts [WAY=register] [CALLS=20] [WARM=30] [SECONDS=30]
// PROF_INTERVAL=µs sets the sampling interval (default 250); KEEP_PROFILE=1 keeps the .cpuprofile.
import { startSink } from '../sink.ts';
import { measureShare } from './attribution.ts';
import { startFakeModel } from './driver.ts';
import { wayOf } from './ways.ts';

const [wayArg = 'register', calls = '20', warm = '30', seconds = '30'] = process.argv.slice(2);
const way = wayOf(wayArg, 'WAY');
const model = await startFakeModel();
const sink = await startSink();
try {
  const share = await measureShare(way, {
    modelUrl: model.url,
    otlpUrl: sink.url,
    calls: Number(calls),
    warm: Number(warm),
    seconds: Number(seconds),
    intervalUs: Number(process.env.PROF_INTERVAL ?? 250),
    keepProfile: process.env.KEEP_PROFILE !== undefined,
  });
  const main = share.threadMs['main']!;
  const pct = (v: number) => `${((100 * v) / main).toFixed(2)} %`;
  console.log(`${way}, ${calls} calls, ${seconds} s after ${warm} s: process CPU ${share.cpuMs.toFixed(0)} ms; ${share.samples} samples of the main thread busy`);
  console.log(
    `  CPU by thread: ${Object.entries(share.threadMs)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')}`,
  );
  console.log(
    `  the package: ${share.packageMs.toFixed(1)} ms, ${pct(share.packageMs)} of the main thread, ${(100 * share.processShare).toFixed(2)} % of the process without the profiler; the GC: ${(100 * share.gcShare).toFixed(2)} %`,
  );
  for (const [file, v] of share.files.slice(0, 12)) console.log(`  ${v.toFixed(1).padStart(7)} ms ${pct(v).padStart(8)}  ${file}`);
} finally {
  await model.close();
  sink.close();
}
