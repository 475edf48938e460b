import { SeverityNumber } from '@opentelemetry/api';
import { startCall } from '../../src/api/callScope.ts';
import { median, QUICK, runCase } from '../harness.ts';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { otlpExporter, pipeline, PRODUCTION, providerOver, useGlobally, type Pipeline } from '../pipelines.ts';
import { fmt, row } from '../report.ts';
import { startSink } from '../sink.ts';

/**
 * What dropping saves: CPU per record of a rate-limited `[RMS]` record dropped in `onEmit`, against
 * the same record exported for real — batch processor, OTLP/HTTP serialization and send to a local
 * sink (in a child process, so its work is not counted), the flush included. Measured with
 * `process.cpuUsage()` over batches of records, sides alternating, median of the rounds' ratios.
 */
runCase(async () => {
  const sink = await startSink();
  const policy = pipeline(PRODUCTION, otlpExporter(sink.url));
  const records = 20_000;
  // A queue that holds every record, so the peer really exports them all (the SDK drops beyond it).
  const exporter = otlpExporter(sink.url);
  const exported = providerOver(new BatchLogRecordProcessor({ exporter, maxQueueSize: records * 2 }), undefined, exporter);
  useGlobally(policy.provider);
  const call = startCall('bench-call');
  const rounds = QUICK ? 5 : 15;
  const cpuPerRecord = async (side: Pipeline): Promise<number> => {
    const logger = side.logger('server.session');
    const before = process.cpuUsage();
    call.run(() => {
      for (let i = 0; i < records; i++) logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: '[RMS] rms=0.12', attributes: { i } });
    });
    await side.flush();
    const used = process.cpuUsage(before);
    return ((used.user + used.system) * 1000) / records;
  };
  await cpuPerRecord(policy); // warm-up, and the one [RMS] of the call that passes
  await cpuPerRecord(exported);
  const ours: number[] = [];
  const peer: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const [a, b] = round % 2 === 0 ? [await cpuPerRecord(policy), await cpuPerRecord(exported)] : [NaN, NaN];
    const [d, c] = round % 2 === 1 ? [await cpuPerRecord(exported), await cpuPerRecord(policy)] : [b, a];
    ours.push(c);
    peer.push(d);
    ratios.push(c / d);
  }
  const stats = policy.policy!.stats();
  if (stats.droppedByReason.rate_limit < stats.seen - 2) throw new Error(`records were not dropped by the rate limit: ${JSON.stringify(stats)}`);
  call.end();
  await Promise.all([policy.shutdown(), exported.shutdown()]);
  sink.close();
  return [
    row({
      id: 'dropped-vs-exported',
      case: 'rate-limited `[RMS]` dropped in `onEmit`, vs exported over OTLP/HTTP (CPU)',
      ours: `${fmt(median(ours))} ns CPU`,
      peer: `batch + OTLP/HTTP export ${fmt(median(peer))} ns CPU`,
      value: median(ratios),
      unit: '×',
      goal: { at: 'most', value: 0.5 },
      detail: { oursNs: median(ours), peerNs: median(peer), ratioRange: [Math.min(...ratios), Math.max(...ratios)], rounds, recordsPerRound: records },
    }),
  ];
});
