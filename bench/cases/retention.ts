import { SeverityNumber } from '@opentelemetry/api';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { startCall } from '../../src/api/callScope.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { QUICK, runCase, settledHeap } from '../harness.ts';
import { DiscardExporter, PRODUCTION, useGlobally } from '../pipelines.ts';
import { heapRow, type Row } from '../report.ts';

/**
 * What the policy keeps of large strings (issue 15, item 4). V8 makes a slice of 13 characters or
 * more a view into its parent: a 64-character key or a 34-character call id cut from a megabyte
 * keeps the megabyte alive as long as the policy keeps the key or the call. Each case runs a fresh
 * logPolicyProcessors() chain (exporter discarding), lets everything be exported, and measures
 * what stays after full GC, with the pipeline (its caches and open calls) still alive.
 */
const MIB = 1 << 20;
const BIG = QUICK ? 256 * 1024 : MIB;
const CALLS = QUICK ? 5_000 : 50_000;
const URL_CHARS = 16 * 1024;

/** A string of `n` characters distinct from every other one this case makes (so none is shared). */
let serial = 0;
function big(n: number): string {
  const head = `${serial++}-`;
  return head + 'x'.repeat(n - head.length);
}

async function measure(
  id: string,
  what: string,
  limit: number,
  goalText: string,
  n: number,
  run: (log: ReturnType<LoggerProvider['getLogger']>) => void | Promise<void>,
): Promise<Row> {
  const [policy] = logPolicyProcessors({ config: loadPolicyConfig(PRODUCTION), exporter: new DiscardExporter() });
  const provider = new LoggerProvider({ processors: [policy] });
  useGlobally(provider);
  const log = provider.getLogger('server.app');
  await provider.forceFlush();
  const before = settledHeap();
  await run(log);
  await provider.forceFlush();
  const after = settledHeap();
  const stats = policy.stats();
  const row = heapRow({
    id,
    case: what,
    heapBytes: after - before,
    limit,
    goalText,
    detail: { n, stringChars: BIG, perItem: Math.round((after - before) / n), callsOpen: stats.callsOpen, forwarded: stats.forwarded, dropped: stats.dropped },
  });
  // Keep the pipeline reachable until measured, then let it go before the next case.
  await provider.shutdown();
  useGlobally(undefined);
  return row;
}

runCase(async () => {
  const rows: Row[] = [];
  const keys = 1_100;
  rows.push(
    await measure(
      'retain-tags',
      `${keys.toLocaleString('en')} INFO bodies of ${BIG / 1024} KiB, each with its own [MEDIA_STREAM_TAG_n]`,
      8 * MIB,
      '<= 8 MiB (the key cache keeps 1,024 short keys)',
      keys,
      (log) => {
        for (let i = 0; i < keys; i++) log.emit({ severityNumber: SeverityNumber.INFO, body: `[MEDIA_STREAM_TAG_${i}] ${big(BIG)}` });
      },
    ),
  );
  rows.push(
    await measure('retain-log-key', `1,000 records whose log.key is ${BIG / 1024} KiB`, 8 * MIB, '<= 8 MiB', 1_000, (log) => {
      for (let i = 0; i < 1_000; i++) log.emit({ severityNumber: SeverityNumber.INFO, body: 'keyed', attributes: { 'log.key': `K${i}_${big(BIG)}` } });
    }),
  );
  rows.push(
    await measure('retain-event-name', `1,000 records whose event name is ${BIG / 1024} KiB`, 8 * MIB, '<= 8 MiB', 1_000, (log) => {
      for (let i = 0; i < 1_000; i++) log.emit({ severityNumber: SeverityNumber.INFO, body: 'event', eventName: `E${i}_${big(BIG)}` });
    }),
  );
  rows.push(
    await measure('retain-error-groups', `1,000 open calls, one ERROR each with a ${BIG / 1024} KiB message and no key`, 8 * MIB, '<= 8 MiB', 1_000, (log) => {
      for (let i = 0; i < 1_000; i++) log.emit({ severityNumber: SeverityNumber.ERROR, body: `failed ${big(BIG)}`, attributes: { 'call.id': `err-${i}` } });
    }),
  );
  const perCall = 4 * 1024;
  rows.push(
    await measure('retain-start-call-ids', `${CALLS.toLocaleString('en')} never-ended calls started with 16 KiB ids`, CALLS * perCall, '<= 4 KiB per open call', CALLS, () => {
      for (let i = 0; i < CALLS; i++) startCall(`wss://voice.example/media/${big(URL_CHARS)}`);
    }),
  );
  rows.push(
    await measure('retain-record-call-ids', `${CALLS.toLocaleString('en')} calls named by a 16 KiB call.id attribute`, CALLS * perCall, '<= 4 KiB per open call', CALLS, (log) => {
      for (let i = 0; i < CALLS; i++) log.emit({ severityNumber: SeverityNumber.INFO, body: 'media', attributes: { 'call.id': `wss://voice.example/media/${big(URL_CHARS)}` } });
    }),
  );
  rows.push(
    await measure(
      'retain-sliced-call-ids',
      `${CALLS.toLocaleString('en')} calls whose 34-character id is sliced from a 16 KiB URL`,
      CALLS * perCall,
      '<= 4 KiB per open call',
      CALLS,
      (log) => {
        for (let i = 0; i < CALLS; i++) {
          const url = `/media/CA${String(i).padStart(32, '0')}?token=${big(URL_CHARS)}`;
          log.emit({ severityNumber: SeverityNumber.INFO, body: 'media', attributes: { 'call.id': url.slice(7, 41) } });
        }
      },
    ),
  );
  return rows;
});
