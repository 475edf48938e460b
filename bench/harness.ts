import { Bench } from 'tinybench';
import type { Row } from './report.ts';

/** `--quick`: fewer rounds and shorter samples, for a run under two minutes. */
export const QUICK = process.argv.includes('--quick');

/** One side of a comparison: `run` does `ops` operations; `between` runs untimed after each sample. */
export interface Side {
  label: string;
  ops: number;
  run: () => void;
  between?: () => Promise<void> | void;
}

export interface PairResult {
  /** Median over rounds of each round's median ns per operation. */
  subjectNs: number;
  peerNs: number;
  /** Median over rounds of subject/peer, each round measuring both sides back to back. */
  ratio: number;
  /** Lowest and highest per-round ratio: the spread a reader should expect between runs. */
  ratioRange: [number, number];
  rounds: number;
  samplesPerRound: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Measures subject and peer with tinybench in the same process, in several rounds whose order
 * alternates (a shared machine drifts; alternating keeps the drift out of the ratio). Each sample
 * times `ops` operations, so sub-microsecond work stays well above the timer's resolution.
 */
export async function comparePair(subject: Side, peer: Side): Promise<PairResult> {
  const rounds = QUICK ? 3 : 7;
  const time = QUICK ? 150 : 400;
  const subjectNs: number[] = [];
  const peerNs: number[] = [];
  const ratios: number[] = [];
  let samples = 0;
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime: time / 2, iterations: 20 });
    const order = round % 2 === 0 ? [subject, peer] : [peer, subject];
    for (const side of order) {
      bench.add(side.label, side.run, side.between === undefined ? {} : { afterEach: side.between });
    }
    await bench.run();
    const ns = (side: Side): number => {
      const result = bench.getTask(side.label)!.result;
      if (!('latency' in result)) throw new Error(`bench task "${side.label}" did not complete: ${result.state}`);
      samples = Math.min(samples === 0 ? Infinity : samples, result.latency.samplesCount);
      return (result.latency.p50 * 1e6) / side.ops;
    };
    const s = ns(subject);
    const p = ns(peer);
    subjectNs.push(s);
    peerNs.push(p);
    ratios.push(s / p);
  }
  return {
    subjectNs: median(subjectNs),
    peerNs: median(peerNs),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    rounds,
    samplesPerRound: samples,
  };
}

/** Full garbage collection (twice: weak references and finalizers settle), then heap used. */
export function settledHeap(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('heap cases need node --expose-gc (npm run bench passes it)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * A case file's entry: run standalone it prints its rows; started by bench/run.ts (with IPC)
 * it sends them to the parent.
 */
export function runCase(produce: () => Promise<Row[]>): void {
  produce().then(
    (rows) => {
      if (process.send !== undefined) process.send({ rows }, () => process.exit(0));
      else {
        console.log(JSON.stringify(rows, null, 2));
        process.exit(0);
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
