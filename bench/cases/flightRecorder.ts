import { SeverityNumber } from '@opentelemetry/api';
import { getLogger } from '../../src/api/getLogger.ts';
import { compareEmit } from '../emitPair.ts';
import { comparePair, runCase } from '../harness.ts';
import { pipeline, PRODUCTION, useGlobally } from '../pipelines.ts';
import { fmt, row } from '../report.ts';

const RECORDER = { ...PRODUCTION, LOG_POLICY_RECORDER: '200' };

/**
 * What LOG_POLICY_RECORDER costs. Inside a call, `enabled()` must let a DEBUG record be built so
 * the recorder can keep it: it costs what the bare SDK pays to build and batch it, plus the
 * policy's facts and the ring. Outside calls, a disabled `getLogger()` level is no longer a bound
 * no-op: it goes through the SDK's `enabled()`, which refuses it before anything is built.
 */
runCase(async () => {
  const inCall = await compareEmit(
    'server.app',
    (i) => ({
      severityNumber: SeverityNumber.DEBUG,
      severityText: 'DEBUG',
      body: 'vad frame',
      attributes: { i },
    }),
    { inCall: true, env: RECORDER },
  );
  if ((inCall.stats.recorder?.recorded ?? 0) === 0 || inCall.stats.recorder!.recorded !== inCall.stats.dropped) {
    throw new Error(`DEBUG records in a call were not kept by the recorder: ${JSON.stringify(inCall.stats)}`);
  }

  const service = pipeline(RECORDER);
  const bare = pipeline(undefined);
  useGlobally(service.provider);
  const log = getLogger('server.app');
  const bareLogger = bare.logger('server.app');
  const ops = 10_000;
  const outside = await comparePair(
    {
      label: 'getLogger debug outside calls, recorder on',
      ops,
      run: () => {
        for (let i = 0; i < ops; i++) log.debug('x', { i });
      },
    },
    {
      label: 'bare SDK debug',
      ops,
      run: () => {
        for (let i = 0; i < ops; i++) bareLogger.emit({ severityNumber: SeverityNumber.DEBUG, body: 'x', attributes: { i } });
      },
      between: bare.flush,
    },
  );
  if (service.policy!.stats().seen !== 0) throw new Error('a DEBUG record outside calls was built with the recorder on');
  await Promise.all([service.shutdown(), bare.shutdown()]);

  return [
    row({
      id: 'recorder-debug-in-call',
      case: 'recorder on: DEBUG in a call, built and kept',
      ours: `${fmt(inCall.subjectNs)} ns`,
      peer: `bare SDK ${fmt(inCall.peerNs)} ns`,
      value: inCall.ratio,
      unit: '×',
      goal: { at: 'most', value: 2 },
      detail: { ...inCall },
    }),
    row({
      id: 'recorder-debug-outside-call',
      case: 'recorder on: `getLogger().debug()` outside calls',
      ours: `${fmt(outside.subjectNs)} ns`,
      peer: `bare SDK ${fmt(outside.peerNs)} ns`,
      value: outside.ratio,
      unit: '×',
      goal: { at: 'most', value: 0.2 },
      detail: { ...outside },
    }),
  ];
});
