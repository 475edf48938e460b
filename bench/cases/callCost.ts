import { appOnlySide, otlpSide, pinoSide, type CallCost, type CallSide } from '../callSides.ts';
import { median, QUICK, runCase } from '../harness.ts';
import { PRODUCTION } from '../pipelines.ts';
import { bytes, fmt, row } from '../report.ts';
import { startSink } from '../sink.ts';

/** One round: each side's call, back to back, in an order that rotates from round to round. */
type Round = Record<string, { cost: CallCost; bytes: number }>;

/** The middle half of `values` (25th to 75th percentile): the spread a reader should expect. */
function quartiles(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return [at(0.25), at(0.75)];
}

/**
 * One simulated 3-minute call (the demo's script: 9,000 frames at 50/s), in production, through the
 * whole pipeline (OTLP/HTTP protobuf with gzip) to a local sink; against the same call with no
 * policy exporting everything, pino at `info` writing every info line to /dev/null, and the app
 * alone (no provider: every log call a no-op). Each round runs every side once, in rotating order.
 *
 * The logging's CPU of a side is its call less the app-alone call of the same round: a paired
 * difference, so the machine's drift between rounds cancels. A 3-minute call's logging costs a
 * millisecond or two under the policy, next to the app's ~25 ms of its own, so one difference is
 * mostly noise; the median over 101 rounds (11 with --quick) is what holds from run to run.
 */
runCase(async () => {
  const sink = await startSink();
  try {
    const sides: CallSide[] = [otlpSide('policy', PRODUCTION, sink.url), otlpSide('bare', undefined, sink.url), await pinoSide('pino'), appOnlySide('app')];
    const rounds = QUICK ? 11 : 101;
    let n = 0;
    for (const side of sides) await side.call(`warm-${n++}`); // JIT, connections
    const results: Round[] = [];
    for (let i = 0; i < rounds; i++) {
      const round: Round = {};
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length]!;
        const before = (await sink.counts()).bytes;
        const cost = await side.call(`call-${n++}`);
        round[side.label] = { cost, bytes: (await sink.counts()).bytes - before };
      }
      results.push(round);
    }
    for (const round of results) {
      const bare = round['bare']!.cost;
      if (bare.exported !== bare.produced) throw new Error(`the bare SDK must export every record: ${bare.exported} of ${bare.produced}`);
    }
    const per = (f: (r: Round) => number) => results.map(f);
    const cpu = (label: string) => per((r) => r[label]!.cost.cpuMs);
    /** The logging's own CPU in each round: the side less the app alone (never below 0.01 ms, to keep ratios finite). */
    const net = (label: string) => per((r) => Math.max(0.01, r[label]!.cost.cpuMs - r['app']!.cost.cpuMs));
    const netMs = { policy: median(net('policy')), bare: median(net('bare')), pino: median(net('pino')) };
    const netRange = { policy: quartiles(net('policy')), bare: quartiles(net('bare')), pino: quartiles(net('pino')) };
    const vsBare = per((r) => Math.max(0.01, r['bare']!.cost.cpuMs - r['app']!.cost.cpuMs) / Math.max(0.01, r['policy']!.cost.cpuMs - r['app']!.cost.cpuMs));
    const vsPino = per((r) => Math.max(0.01, r['policy']!.cost.cpuMs - r['app']!.cost.cpuMs) / Math.max(0.01, r['pino']!.cost.cpuMs - r['app']!.cost.cpuMs));
    const sent = { policy: median(per((r) => r['policy']!.bytes)), bare: median(per((r) => r['bare']!.bytes)) };
    const exported = { policy: median(per((r) => r['policy']!.cost.exported!)), bare: median(per((r) => r['bare']!.cost.exported!)) };
    const produced = median(per((r) => r['policy']!.cost.produced));
    const processMs = { policy: median(cpu('policy')), bare: median(cpu('bare')), pino: median(cpu('pino')), app: median(cpu('app')) };
    const range = (values: readonly number[]) => quartiles(values).map(fmt).join('–');
    const detail = { rounds, processCpuMs: processMs, netCpuMs: netMs, netCpuQuartiles: netRange, bytesSent: sent, exported, produced };
    return [
      row({
        id: 'call-cpu-logging',
        case: 'one 3-min call, production: CPU of the logging',
        ours: `${fmt(netMs.policy)} ms (${range(net('policy'))})`,
        peer: `no policy, all exported: ${fmt(netMs.bare)} ms (${range(net('bare'))})`,
        value: median(vsBare),
        result: `${fmt(median(vsBare))}× less (${range(vsBare)})`,
        unit: '× less',
        goal: { at: 'least', value: 20 },
        detail: { ...detail, ratioQuartiles: quartiles(vsBare) },
      }),
      row({
        id: 'call-vs-pino',
        case: 'one 3-min call, production: CPU of the logging vs pino at info',
        ours: `${fmt(netMs.policy)} ms`,
        peer: `pino at info: ${fmt(netMs.pino)} ms (${range(net('pino'))})`,
        value: median(vsPino),
        result: `${fmt(median(vsPino))}× (${range(vsPino)})`,
        unit: '×',
        goal: { at: 'most', value: 1.0 },
        detail: { netCpuMs: netMs, ratioQuartiles: quartiles(vsPino), processCpuMs: processMs },
      }),
      row({
        id: 'call-bytes',
        case: 'one 3-min call, production: bytes on the wire (OTLP/HTTP protobuf, gzip)',
        ours: `${bytes(sent.policy)} (${exported.policy} records)`,
        peer: `no policy: ${bytes(sent.bare)} (${exported.bare} records)`,
        value: sent.policy,
        result: bytes(sent.policy),
        goal: { at: 'none' },
        detail: { bytesSent: sent, exported, produced, ratio: sent.bare / sent.policy },
      }),
    ];
  } finally {
    sink.close();
  }
});
