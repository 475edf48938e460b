import { otlpSide } from '../callSides.ts';
import { median, runCase } from '../harness.ts';
import { DEVELOPMENT, PRODUCTION } from '../pipelines.ts';
import { row, type Row } from '../report.ts';
import { startSink } from '../sink.ts';

/** Records exported per simulated 3-minute call, through the whole pipeline, in each mode. */
const modes = [
  { id: 'records-production', mode: 'production', env: PRODUCTION, goal: { at: 'within', min: 10, max: 20 } },
  { id: 'records-development', mode: 'development', env: DEVELOPMENT, goal: { at: 'within', min: 100, max: 500 } },
] as const;

runCase(async () => {
  const sink = await startSink();
  try {
    const rows: Row[] = [];
    for (const m of modes) {
      const side = otlpSide(m.mode, m.env, sink.url);
      const calls = [];
      for (let i = 0; i < 3; i++) calls.push(await side.call(`${m.mode}-${i}`));
      const exported = median(calls.map((c) => c.exported!));
      const produced = median(calls.map((c) => c.produced));
      rows.push(
        row({
          id: m.id,
          case: `one 3-min call, ${m.mode}: records exported`,
          ours: `${exported} of ${produced} produced`,
          result: String(exported),
          peer: `no policy: ${produced}`,
          value: exported,
          goal: m.goal,
          detail: { calls },
        }),
      );
    }
    return rows;
  } finally {
    sink.close();
  }
});
