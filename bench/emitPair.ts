import type { LogRecord } from '@opentelemetry/api';
import { startCall } from '../src/api/callScope.ts';
import { getLogger } from '../src/api/getLogger.ts';
import type { PolicyStats } from '../src/pipeline/StatsCounter.ts';
import { comparePair, type PairResult } from './harness.ts';
import { pipeline, PRODUCTION, useGlobally } from './pipelines.ts';

export interface EmitPairResult extends PairResult {
  /** The policy's counters after the run: proof the records took the path the case claims. */
  stats: PolicyStats;
}

/**
 * The same record emitted through the raw OTel `Logger.emit` (as the pino/winston bridges do)
 * into the policy over a BatchLogRecordProcessor, and into the bare SDK's BatchLogRecordProcessor;
 * both export to a discarding exporter. Records are emitted inside a call when `inCall`; the
 * policy's environment is `env` (default production). The batch
 * is flushed between samples, untimed, so its queue never fills and starts dropping.
 */
export async function compareEmit(
  scope: string,
  record: (i: number) => LogRecord,
  options: { inCall: boolean; env?: Record<string, string>; via?: 'logger' | 'facade' },
): Promise<EmitPairResult> {
  const policy = pipeline(options.env ?? PRODUCTION);
  const bare = pipeline(undefined);
  useGlobally(policy.provider);
  const call = startCall('bench-call');
  const within = options.inCall ? (fn: () => void) => call.run(fn) : (fn: () => void) => fn();
  const loop = (logger: ReturnType<typeof policy.logger>, ops: number) => () =>
    within(() => {
      for (let i = 0; i < ops; i++) logger.emit(record(i));
    });
  const ops = 1_000;
  const policyLogger = policy.logger(scope);
  const bareLogger = bare.logger(scope);
  // Through the package's own entry point: the getLogger facade, at INFO, with the record's body and attributes.
  const facade = getLogger(scope, { provider: policy.provider });
  const viaFacade = () =>
    within(() => {
      for (let i = 0; i < ops; i++) {
        const r = record(i);
        facade.info(String(r.body), r.attributes);
      }
    });
  const result = await comparePair(
    { label: 'with policy', ops, run: options.via === 'facade' ? viaFacade : loop(policyLogger, ops), between: policy.flush },
    { label: 'bare SDK', ops, run: loop(bareLogger, ops), between: bare.flush },
  );
  const stats = policy.policy!.stats();
  call.end();
  await Promise.all([policy.shutdown(), bare.shutdown()]);
  return { ...result, stats };
}
