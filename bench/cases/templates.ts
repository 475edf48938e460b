import { SeverityNumber, type LogRecord } from '@opentelemetry/api';
import { templateOf } from '../../src/policy/template.ts';
import { compareEmit } from '../emitPair.ts';
import { comparePair, runCase } from '../harness.ts';
import { pipeline } from '../pipelines.ts';
import { fmt, row, type Row } from '../report.ts';

/**
 * Message templates (docs/templates.md): the cost of computing a record's template key, for a
 * per-frame line and for a 1 MB body (bounded: only the first 512 characters are read), and of a
 * keyless per-frame record dropped in `onEmit` by the default template limit inside a call. Each
 * against the bare SDK's emit of the same record into a batch processor and a discarding exporter.
 */
const FRAME = (i: number): LogRecord => ({
  severityNumber: SeverityNumber.INFO,
  severityText: 'INFO',
  body: `Received media message with timestamp: ${i * 20}ms`,
  attributes: { i },
});

/** The bare SDK's emit of `record(i)`, as the peer side of a pair. */
function bareSide(record: (i: number) => LogRecord, ops: number) {
  const bare = pipeline(undefined);
  const logger = bare.logger('server.session');
  return {
    bare,
    side: {
      label: 'bare SDK',
      ops,
      run: () => {
        for (let i = 0; i < ops; i++) logger.emit(record(i));
      },
      between: bare.flush,
    },
  };
}

runCase(async () => {
  const rows: Row[] = [];
  const ops = 1_000;
  const big = `Received media message with timestamp: 1234ms ${'x1 '.repeat(350_000)}`;
  for (const c of [
    { id: 'template-key', what: 'template key of a per-frame line (`templateOf`)', text: (i: number) => `Received media message with timestamp: ${i * 20}ms`, goal: 0.5 },
    { id: 'template-key-1mb', what: 'template key of a 1 MB body (first 512 characters read)', text: () => big, goal: 2 },
  ] as const) {
    const { bare, side } = bareSide((i) => ({ ...FRAME(i), body: c.text(i) }), ops);
    let sink = 0;
    const result = await comparePair(
      {
        label: 'templateOf',
        ops,
        run: () => {
          for (let i = 0; i < ops; i++) sink += templateOf(c.text(i)).length;
        },
      },
      side,
    );
    if (sink === 0) throw new Error('templateOf returned nothing');
    await bare.shutdown();
    rows.push(
      row({
        id: c.id,
        case: c.what,
        ours: `${fmt(result.subjectNs)} ns`,
        peer: `bare SDK emit ${fmt(result.peerNs)} ns`,
        value: result.ratio,
        unit: '×',
        goal: { at: 'most', value: c.goal },
        detail: { ...result },
      }),
    );
  }

  const drop = await compareEmit('server.session', FRAME, { inCall: true });
  // A few pass (the first 3, then one per 10 s within the template's share); the rest are template drops.
  if (drop.stats.droppedByReason.template < drop.stats.seen - 100) throw new Error(`records were not dropped by the template limit: ${JSON.stringify(drop.stats)}`);
  rows.push(
    row({
      id: 'template-drop',
      case: 'keyless per-frame record dropped by the template limit in `onEmit`',
      ours: `${fmt(drop.subjectNs)} ns`,
      peer: `bare SDK ${fmt(drop.peerNs)} ns`,
      value: drop.ratio,
      unit: '×',
      goal: { at: 'most', value: 0.5 },
      detail: { ...drop },
    }),
  );
  return rows;
});
