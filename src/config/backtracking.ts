import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** What the ReDoS checker said of one pattern. */
export type BacktrackingVerdict = { safe: true } | { safe: false; reason: string };

/** Start-up waits at most this long for the checker; a pattern it cannot clear in time is refused. */
const CHECK_TIMEOUT_MS = 20_000;

/**
 * recheck's own limits: the default `maxRepeatCount` (30) sends `\d{6,12}`-style patterns to the
 * fuzzer, which calls some bounded repeats polynomial; 200 lets the exact automaton checker decide.
 * The fixed seed keeps the fuzzer (lookarounds, back-references) giving the same answer each start.
 */
const PARAMS = { maxRepeatCount: 200, randomSeed: 0, timeout: CHECK_TIMEOUT_MS - 5_000 };

/**
 * Runs in a worker with `RECHECK_SYNC_BACKEND=pure` in the worker's own env: recheck's pure-JS
 * checker, in-thread, rather than its default (a synckit worker that spawns a native or Java agent
 * process that outlives the check). The host's env is not touched.
 */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, flag, path, source, flags, params } = workerData;
const check = () => {
  try { return require(path).checkSync(source, flags, params); }
  catch (error) { return { status: 'unknown', error: { kind: 'unexpected', message: String(error && error.message || error) } }; }
};
port.postMessage(check());
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

interface Diagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; degree?: number };
  attack?: { pattern?: string };
  error?: { kind: string; message?: string };
}

function describe(result: Diagnostics): BacktrackingVerdict {
  if (result.status === 'safe') return { safe: true };
  if (result.status === 'vulnerable') {
    const kind = result.complexity?.type === 'polynomial' ? `polynomial (degree ${result.complexity.degree}) backtracking` : 'exponential backtracking';
    const attack = result.attack?.pattern === undefined ? '' : `, e.g. on ${result.attack.pattern}`;
    return { safe: false, reason: `it can take ${kind}: one long string blocks the event loop${attack}` };
  }
  const why = result.error?.kind === 'timeout' ? 'the check ran out of time' : (result.error?.message ?? result.error?.kind ?? 'no reason given');
  return { safe: false, reason: `its backtracking could not be proven safe (${why})` };
}

/**
 * Is `source` (with `flags`) free of super-linear backtracking, by the recheck ReDoS checker
 * (https://makenowjust-labs.github.io/recheck/)? Synchronous, since config loading is: the main
 * thread waits on the worker, at most CHECK_TIMEOUT_MS, once per pattern at start-up.
 */
export function checkBacktracking(source: string, flags: string): BacktrackingVerdict {
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve('recheck');
  } catch (error) {
    return { safe: false, reason: `its backtracking could not be checked (the recheck package did not load: ${(error as Error).message.split('\n')[0]})` };
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
    eval: true,
    env: { RECHECK_SYNC_BACKEND: 'pure' },
    workerData: { port: port2, flag, path, source, flags, params: PARAMS },
    transferList: [port2],
    // A pattern whose automaton explodes must not take the host's memory with it.
    resourceLimits: { maxOldGenerationSizeMb: 512 },
    stdout: true,
    stderr: true,
  });
  worker.unref();
  // A worker that dies (out of memory) reports it later, as an event: without a listener that would throw in the host.
  worker.on('error', () => {});
  try {
    Atomics.wait(flag, 0, 0, CHECK_TIMEOUT_MS);
    const message = receiveMessageOnPort(port1);
    if (message !== undefined) return describe(message.message as Diagnostics);
    return { safe: false, reason: `its backtracking could not be proven safe (the checker gave no answer within ${CHECK_TIMEOUT_MS / 1000} s)` };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
