import { SeverityNumber } from '@opentelemetry/api';
import { compareEmit } from '../emitPair.ts';
import { runCase } from '../harness.ts';
import { fmt, row } from '../report.ts';

/**
 * A DEBUG record from the pino bridge's scope in production: the SDK asks `enabled()` first and
 * the policy says no, so the record is never built. The peer builds and batches it.
 */
runCase(async () => {
  const result = await compareEmit(
    '@opentelemetry/instrumentation-pino',
    (i) => ({
      severityNumber: SeverityNumber.DEBUG,
      severityText: 'DEBUG',
      body: 'x',
      attributes: { name: 'app', i },
    }),
    { inCall: true },
  );
  if (result.stats.seen !== 1) throw new Error(`below-threshold records reached onEmit: ${result.stats.seen - 1}`);
  return [
    row({
      id: 'below-threshold-emit',
      case: 'below-threshold record via raw `Logger.emit`',
      ours: `${fmt(result.subjectNs)} ns`,
      peer: `bare SDK ${fmt(result.peerNs)} ns`,
      value: result.ratio,
      unit: '×',
      goal: { at: 'most', value: 0.2 },
      detail: { ...result },
    }),
  ];
});
