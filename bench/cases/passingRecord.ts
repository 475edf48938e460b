import { SeverityNumber } from '@opentelemetry/api';
import { compareEmit } from '../emitPair.ts';
import { runCase } from '../harness.ts';
import { fmt, row } from '../report.ts';
import { PRODUCTION } from '../pipelines.ts';

/**
 * A WARN record inside a call: every rule runs and lets it through, the policy stamps `call.id`
 * on it (and its template, `log.template`), and it is batched for export. The peer is the bare SDK batching the same record.
 */
runCase(async () => {
  const result = await compareEmit(
    'server.session',
    (i) => ({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'upstream slow',
      attributes: { i },
      // The same WARN a million times would be held by the template limit after 3: off here, so every
      // record passes (its template is still computed and stamped as log.template).
    }),
    { inCall: true, env: { ...PRODUCTION, LOG_POLICY_TEMPLATE_LIMIT: 'none' } },
  );
  if (result.stats.dropped !== 0) throw new Error(`passing records were dropped: ${JSON.stringify(result.stats)}`);
  return [
    row({
      id: 'passing-record',
      case: 'record that passes (WARN in a call)',
      ours: `${fmt(result.subjectNs)} ns`,
      peer: `bare SDK ${fmt(result.peerNs)} ns`,
      value: result.ratio,
      unit: '×',
      goal: { at: 'most', value: 1.15 },
      detail: { ...result },
    }),
  ];
});
