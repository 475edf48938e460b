import { DEFAULT_MAX_KEYS_PER_CALL } from '../../src/config/defaults.ts';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { OncePerCall } from '../../src/api/OncePerCall.ts';
import { RateLimiter } from '../../src/api/RateLimiter.ts';
import { QUICK, runCase, settledHeap } from '../harness.ts';
import { pipeline, PRODUCTION, useGlobally } from '../pipelines.ts';
import { heapRow } from '../report.ts';

/**
 * One call that sees a million distinct keys: as RateLimiter and OncePerCall keys, and as record
 * keys the policy counts (`[K123] …` INFO records past the budget, ERROR records with distinct
 * keys). Each structure keeps at most LOG_POLICY_MAX_KEYS_PER_CALL (default 64) keys per call;
 * the rest share one `(overflow)` slot. Heap growth is measured with the call still open.
 */
runCase(async () => {
  const service = pipeline(PRODUCTION);
  useGlobally(service.provider);
  const app = getLogger('server.app');
  const rl = new RateLimiter();
  const once = new OncePerCall();
  const keys = QUICK ? 100_000 : 1_000_000;
  const warm = startCall('warm');
  warm.run(() => {
    for (let i = 0; i < 1_000; i++) {
      rl.every(`w${i}`, 5);
      once.once(`w${i}`);
      app.info(`[W${i}] x`);
      app.error(`[W${i}] x`);
    }
  });
  warm.end();
  await service.flush();
  const before = settledHeap();
  const call = startCall('hostile');
  for (let start = 0; start < keys; start += 10_000) {
    call.run(() => {
      for (let i = start; i < start + 10_000; i++) {
        rl.every(`user-${i}`, 5);
        once.once(`user-${i}`);
        app.info(`[K${i}] hostile`);
        if (i % 10 === 0) app.error(`[E${i}] hostile`);
      }
    });
    await service.flush();
  }
  const after = settledHeap();
  const byKey = Object.keys(service.policy!.stats().droppedByKey).length;
  call.end();
  return [
    heapRow({
      id: 'hostile-keys',
      case: `heap with ${keys.toLocaleString('en')} distinct keys in one call`,
      heapBytes: after - before,
      limit: 1024 * 1024,
      goalText: '<= 1 MiB (64 keys per call kept)',
      detail: { keys, capPerCall: DEFAULT_MAX_KEYS_PER_CALL, processStatKeys: byKey, heapBefore: before, heapAfter: after },
    }),
  ];
});
