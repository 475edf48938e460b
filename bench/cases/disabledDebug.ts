import { getLogger } from '../../src/api/getLogger.ts';
import { comparePair, runCase } from '../harness.ts';
import { pinoDevNull, pipeline, PRODUCTION, useGlobally } from '../pipelines.ts';
import { fmt, row } from '../report.ts';

/**
 * A debug call in production, where debug is off: `getLogger(n).debug('x', {i})` against pino's
 * disabled `debug({i}, 'x')`. Both sides build the same attributes object; both should cost a
 * call to a no-op.
 */
runCase(async () => {
  const service = pipeline(PRODUCTION);
  useGlobally(service.provider);
  const log = getLogger('app');
  const { logger: p } = await pinoDevNull('info');
  if (log.isEnabled('debug') || p.isLevelEnabled('debug')) throw new Error('debug must be disabled on both sides');

  const ops = 10_000;
  const result = await comparePair(
    {
      label: 'getLogger debug (disabled)',
      ops,
      run: () => {
        for (let i = 0; i < ops; i++) log.debug('x', { i });
      },
    },
    {
      label: 'pino debug (disabled)',
      ops,
      run: () => {
        for (let i = 0; i < ops; i++) p.debug({ i }, 'x');
      },
    },
  );
  await service.flush();
  if (service.policy!.stats().seen !== 0) throw new Error('a disabled debug call reached the processor');
  return [
    row({
      id: 'disabled-debug',
      case: 'disabled `debug()` in production',
      ours: `${fmt(result.subjectNs)} ns`,
      peer: `pino ${fmt(result.peerNs)} ns`,
      value: result.ratio,
      unit: '×',
      goal: { at: 'most', value: 1.0 },
      detail: { ...result },
    }),
  ];
});
