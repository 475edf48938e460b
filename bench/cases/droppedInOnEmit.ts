import { SeverityNumber } from '@opentelemetry/api';
import { compareEmit } from '../emitPair.ts';
import { runCase } from '../harness.ts';
import { fmt, row, type Row } from '../report.ts';

/**
 * INFO records inside a call that pass the threshold and are dropped in `onEmit`: `[RMS]` by its
 * rate limit (10 s by default), `[DSP]` as a once-per-call key. The peer exports the same records.
 */
const cases = [
  { id: 'rate-limited-drop', what: 'rate-limited `[RMS]` record dropped in `onEmit`', body: '[RMS] rms=0.12', reason: 'rate_limit', via: 'logger', goal: 0.5 },
  { id: 'once-key-drop', what: 'once-key `[DSP]` record dropped in `onEmit`', body: '[DSP] enabled: highpass+limiter', reason: 'once', via: 'logger', goal: 0.5 },
  // The package's own entry point decides before the SDK builds anything.
  { id: 'facade-rate-limited-drop', what: 'rate-limited `[RMS]` dropped by `getLogger().info()`', body: '[RMS] rms=0.12', reason: 'rate_limit', via: 'facade', goal: 0.15 },
  { id: 'facade-once-key-drop', what: 'once-key `[DSP]` dropped by `getLogger().info()`', body: '[DSP] enabled: highpass+limiter', reason: 'once', via: 'facade', goal: 0.15 },
] as const;

runCase(async () => {
  const rows: Row[] = [];
  for (const c of cases) {
    const result = await compareEmit(
      'server.session',
      (i) => ({
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: c.body,
        attributes: { i },
      }),
      { inCall: true, via: c.via },
    );
    // The first record of the call passes; every other one must be dropped for this reason.
    if (result.stats.droppedByReason[c.reason] < result.stats.seen - 3) throw new Error(`${c.id}: records were not dropped by ${c.reason}: ${JSON.stringify(result.stats)}`);
    rows.push(
      row({
        id: c.id,
        case: c.what,
        ours: `${fmt(result.subjectNs)} ns`,
        peer: `bare SDK ${fmt(result.peerNs)} ns`,
        value: result.ratio,
        unit: '×',
        goal: { at: 'most', value: c.goal },
        detail: { ...result },
      }),
    );
  }
  return rows;
});
