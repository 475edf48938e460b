import { startSink } from '../sink.ts';
import { appOnlySide, otlpSide, pinoSide, type CallCost, type CallSide } from '../callSides.ts';
import { median, QUICK, runCase } from '../harness.ts';
import { PRODUCTION } from '../pipelines.ts';
import { bytes, fmt, row } from '../report.ts';

/**
 * One simulated 3-minute call (the demo's script: 9,000 frames at 50/s), in production, through the
 * whole pipeline to a local OTLP sink; against the same call with no policy exporting everything,
 * and against pino at `info` writing every info line to /dev/null. Sides alternate call by call.
 */
runCase(async () => {
  const sink = await startSink();
  try {
    const sides: CallSide[] = [
      otlpSide('policy', PRODUCTION, sink.url),
      otlpSide('bare', undefined, sink.url),
      await pinoSide('pino'),
      appOnlySide('app'),
    ];
    const calls = QUICK ? 3 : 15;
    const costs = new Map<string, { cost: CallCost; bytes: number }[]>(sides.map((s) => [s.label, []]));
    let n = 0;
    for (const side of sides) await side.call(`warm-${n++}`); // JIT, connections
    for (let i = 0; i < calls; i++) {
      const order = sides.map((_, k) => sides[(i + k) % sides.length]!);
      for (const side of order) {
        const before = (await sink.counts()).bytes;
        const cost = await side.call(`call-${n++}`);
        costs.get(side.label)!.push({ cost, bytes: (await sink.counts()).bytes - before });
      }
    }
    const med = (label: string, f: (c: { cost: CallCost; bytes: number }) => number) => median(costs.get(label)!.map(f));
    const cpu = { policy: med('policy', (c) => c.cost.cpuMs), bare: med('bare', (c) => c.cost.cpuMs), pino: med('pino', (c) => c.cost.cpuMs), app: med('app', (c) => c.cost.cpuMs) };
    /** The logging's own CPU: each side less the app alone (never below 0.01 ms, to keep ratios finite). */
    const net = (ms: number) => Math.max(0.01, ms - cpu.app);
    const sent = { policy: med('policy', (c) => c.bytes), bare: med('bare', (c) => c.bytes) };
    const exported = { policy: med('policy', (c) => c.cost.exported!), bare: med('bare', (c) => c.cost.exported!) };
    const produced = med('policy', (c) => c.cost.produced);
    for (const { cost } of costs.get('bare')!) {
      if (cost.exported !== cost.produced) throw new Error(`the bare SDK must export every record: ${cost.exported} of ${cost.produced}`);
    }
    const netMs = { policy: net(cpu.policy), bare: net(cpu.bare), pino: net(cpu.pino) };
    const detail = { calls, cpuMs: cpu, netCpuMs: netMs, netRatio: netMs.bare / netMs.policy, bytesSent: sent, exported, produced, perCall: Object.fromEntries(costs) };
    return [
      row({
        id: 'call-cpu',
        case: 'one 3-min call, production: CPU of the process',
        ours: `${fmt(cpu.policy)} ms`,
        peer: `no policy, all exported: ${fmt(cpu.bare)} ms`,
        value: cpu.bare / cpu.policy,
        unit: '× less',
        goal: { at: 'least', value: 20 },
        detail,
      }),
      row({
        id: 'call-cpu-logging',
        case: 'one 3-min call, production: CPU of the logging',
        ours: `${fmt(netMs.policy)} ms`,
        peer: `no policy, all exported: ${fmt(netMs.bare)} ms`,
        value: netMs.bare / netMs.policy,
        unit: '× less',
        goal: { at: 'least', value: 20 },
        detail: { appAloneMs: cpu.app, netCpuMs: netMs },
      }),
      row({
        id: 'call-bytes',
        case: 'one 3-min call, production: bytes sent',
        ours: bytes(sent.policy),
        peer: `no policy: ${bytes(sent.bare)}`,
        value: sent.bare / sent.policy,
        unit: '× less',
        goal: { at: 'least', value: 1000 },
        detail: { bytesSent: sent, exported, produced },
      }),
      row({
        id: 'call-vs-pino',
        case: 'one 3-min call, production: CPU vs pino',
        ours: `${fmt(cpu.policy)} ms (logging: ${fmt(netMs.policy)})`,
        peer: `pino at info: ${fmt(cpu.pino)} ms (logging: ${fmt(netMs.pino)})`,
        value: cpu.policy / cpu.pino,
        unit: '×',
        goal: { at: 'most', value: 1.0 },
        detail: { cpuMs: cpu, netCpuMs: netMs, netRatio: netMs.policy / netMs.pino },
      }),
    ];
  } finally {
    sink.close();
  }
});
