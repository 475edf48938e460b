import { measureShare, type Share } from '../adoption/attribution.ts';
import { startFakeModel } from '../adoption/driver.ts';
import { median, QUICK, runCase } from '../harness.ts';
import { fmt, row, type Row } from '../report.ts';
import { startSink } from '../sink.ts';

/**
 * The adoption server under register (console capture, automatic call scopes), 3 and 20 calls, its
 * CPU profiled from inside after WARM seconds of the same calls: the package's own share of the
 * process's CPU (bench/adoption/attribution.ts), the median of RUNS servers, and the ratio that
 * share comes to (register ÷ no package = 1 / (1 − share)), against the goal's 1.03×. The timed
 * side-by-side ratio (the adoption case) carries the machine's moment; this share does not, and
 * it misses what the package causes in the app's own code, which that ratio would show.
 */
runCase(async () => {
  const model = await startFakeModel();
  const sink = await startSink();
  const warm = QUICK ? 5 : 30;
  const seconds = QUICK ? 10 : 30;
  const runs = QUICK ? 1 : 3;
  const rows: Row[] = [];
  try {
    for (const calls of [3, 20]) {
      const shares: Share[] = [];
      for (let i = 0; i < runs; i++) shares.push(await measureShare('register', { modelUrl: model.url, otlpUrl: sink.url, calls, warm, seconds, intervalUs: 250 }));
      const pct = shares.map((s) => 100 * s.processShare);
      const main = shares.map((s) => 100 * s.mainShare);
      const gc = shares.map((s) => 100 * s.gcShare);
      const top = shares[0]!.files.slice(0, 3).map(([file, ms]) => `${file} ${fmt((100 * ms) / shares[0]!.threadMs['main']!)} %`);
      const share = median(pct);
      rows.push(
        row({
          id: `adoption-share-${calls}`,
          case: `adoption, ${calls} calls: the package's own share of register's CPU (in-process profile), as a ratio to no package`,
          ours: `${fmt(share)} % of the process (${fmt(Math.min(...pct))}–${fmt(Math.max(...pct))} over ${runs} servers; ${fmt(median(main))} % of the main thread; largest: ${top.join(', ')}; GC ${fmt(median(gc))} % of the main thread)`,
          peer: '—',
          value: 1 / (1 - share / 100),
          unit: '×',
          goal: { at: 'most', value: 1.03 },
          detail: { calls, warm, seconds, runs, shares: shares.map((s) => ({ ...s, files: s.files.slice(0, 12) })) },
        }),
      );
    }
  } finally {
    await model.close();
    sink.close();
  }
  return rows;
});
