/**
 * Run by cardinality.test.ts in a child process with --expose-gc: floods the real pipeline with
 * keys built from "user input" and prints heap figures as JSON. Not a test file itself.
 */
import { logs } from '@opentelemetry/api';
import { LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { startCall } from '../../src/api/callScope.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { OncePerCall } from '../../src/api/OncePerCall.ts';
import { RateLimiter } from '../../src/api/RateLimiter.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';

const gc = (globalThis as { gc?: () => void }).gc!;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let exported = 0;
const exporter: LogRecordExporter = {
  export: (records, done) => {
    exported += records.length;
    done({ code: 0 });
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
const [policy] = logPolicyProcessors({ config: loadPolicyConfig({}), exporter });
const provider = new LoggerProvider({ processors: [policy] });
logs.setGlobalLoggerProvider(provider);
const log = provider.getLogger('server.calls');
const rl = new RateLimiter();
const once = new OncePerCall();
const N = Number(process.argv[2] ?? 1_000_000);

function flood(prefix: string, n: number) {
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${i}`;
    log.emit({ severityNumber: i % 2 === 0 ? 9 : 17, body: `[${key}] user said something`, attributes: { 'log.key': key } });
    rl.every(key, 60);
    once.once(key);
  }
}

// Warm-up, so that code and the pipeline's own allocations are not counted as growth.
const warm = startCall('warm');
warm.run(() => flood('warm', 2_000));
warm.end();
await provider.forceFlush();
const base = heap();

// 1. One call, N distinct keys.
const call = startCall('C-flood');
let txSlowFirst = 0;
let txSlowAfter = 0;
let knownLimited = false;
call.run(() => {
  rl.every('known', 60);
  flood('user-', N);
  // The policy still holds for the known keys after the flood.
  const before = policy.stats().forwarded;
  log.emit({ severityNumber: 13, body: '[TX_SLOW] queue=12' });
  txSlowFirst = policy.stats().forwarded - before;
  log.emit({ severityNumber: 13, body: '[TX_SLOW] queue=13' });
  txSlowAfter = policy.stats().forwarded - before - txSlowFirst;
  knownLimited = !rl.every('known', 60);
});
await provider.forceFlush();
const oneCall = heap() - base;
const statsOneCall = policy.stats();
call.end();

// 2. Across calls: N keys spread over calls that never end (N/100 calls of 100 keys).
for (let c = 0; c < N / 100; c++) {
  const open = startCall(`open-${c}`);
  open.run(() => flood(`c${c}-`, 100));
}
await provider.forceFlush();
const acrossCalls = heap() - base;
const statsAcross = policy.stats();

console.log(
  JSON.stringify({
    keys: N,
    oneCallBytes: oneCall,
    acrossCallsBytes: acrossCalls,
    txSlowFirst,
    txSlowAfter,
    knownLimited,
    rlOverflowed: rl.overflowed,
    onceOverflowed: once.overflowed,
    oneCall: { keysTracked: statsOneCall.keysTracked, keysOverflowed: statsOneCall.keysOverflowed, overflowDrops: statsOneCall.droppedByKey['(overflow)'] ?? 0 },
    across: { keysTracked: statsAcross.keysTracked, keysOverflowed: statsAcross.keysOverflowed, callsOpen: statsAcross.callsOpen },
    exported,
  }),
);
