import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { callSteps } from '../demo/callScript.ts';
import { CountingExporter } from '../demo/countingExporter.ts';
import { VirtualClock } from '../demo/virtualClock.ts';
import { loadPolicyConfig } from '../src/config/loadPolicyConfig.ts';
import { LogPolicyProcessor } from '../src/pipeline/LogPolicyProcessor.ts';
import { settledHeap } from './harness.ts';
import { PinoLoggerProvider } from './pinoProvider.ts';
import { otlpExporter, pinoDevNull, providerOver, useGlobally } from './pipelines.ts';

/** One simulated call: 3 minutes at 50 frames/s = 9,000 frames of the demo's logging pattern. */
export const CALL_SECONDS = 180;
export const FPS = 50;

/**
 * Large enough that the batch processor never drops: the peer must export everything. The demo
 * script runs frames back to back, far faster than real time, so the default 2,048 would overflow.
 */
const MAX_QUEUE = 1 << 17;

/** What one side of the call comparison spent on one call. */
export interface CallCost {
  cpuMs: number;
  /** Records the exporter sent (not counted on the pino side). */
  exported?: number;
  produced: number;
}

/** A way to run the call: the policy over OTLP, the bare SDK over OTLP, or pino. */
export interface CallSide {
  label: string;
  /** Registers this side's provider in the logs API, runs one call, measures it. */
  call(callId: string): Promise<CallCost>;
}

/** Every side reads this one clock: calls follow each other in virtual time. */
const clock = new VirtualClock(1_000);

/**
 * Runs the demo's call script to its end. A real call spreads its 9,000 frames over 3 minutes, so
 * the exporter's work interleaves with the call's: the loop yields to the event loop once per
 * virtual second to let batches go out meanwhile.
 */
async function runCall(callId: string): Promise<number> {
  const steps = callSteps(clock, callId, CALL_SECONDS, FPS);
  for (let frame = 1; ; frame++) {
    const step = steps.next();
    if (step.done === true) return step.value;
    clock.advance(step.value);
    if (frame % FPS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** CPU (user + system, all threads) from the call's first frame until its records are flushed. */
async function measured(run: () => Promise<number>, flush: () => Promise<void> | void): Promise<{ cpuMs: number; produced: number }> {
  settledHeap();
  const start = process.cpuUsage();
  const produced = await run();
  await flush();
  const spent = process.cpuUsage(start);
  return { cpuMs: (spent.user + spent.system) / 1000, produced };
}

function exportedBy(counts: CountingExporter): number {
  let n = 0;
  for (const tally of counts.byCall.values()) n += tally.exported;
  return n;
}

/**
 * LogPolicyProcessor (`env`) → BatchLogRecordProcessor → OTLP/HTTP exporter → the sink, or with
 * `env` undefined the bare SDK exporting every record. The batch and exporter live as long as the
 * service (connections stay open); the policy is made anew per call so it reads the call's clock
 * and publishes its gate.
 */
export function otlpSide(label: string, env: Record<string, string> | undefined, sinkUrl: string): CallSide {
  const counts = new CountingExporter(otlpExporter(sinkUrl));
  const batch = new BatchLogRecordProcessor({ exporter: counts, maxQueueSize: MAX_QUEUE });
  const config = env === undefined ? undefined : loadPolicyConfig(env);
  const bare = providerOver(batch, undefined, counts);
  return {
    label,
    async call(callId) {
      const policy = config === undefined ? undefined : new LogPolicyProcessor(batch, { config, now: clock.now });
      const side = policy === undefined ? bare : providerOver(policy, policy, counts);
      useGlobally(side.provider);
      const before = exportedBy(counts);
      const { cpuMs, produced } = await measured(
        () => runCall(callId),
        () => side.flush(),
      );
      if (counts.failed > 0) throw new Error(`${label}: ${counts.failed} records failed to export`);
      return { cpuMs, produced, exported: exportedBy(counts) - before };
    },
  };
}

/** The same script into pino at `info`, every line written to /dev/null. */
export async function pinoSide(label: string): Promise<CallSide> {
  const { logger, flush } = await pinoDevNull('info');
  const provider = new PinoLoggerProvider(logger);
  return {
    label,
    async call(callId) {
      useGlobally(provider);
      return measured(() => runCall(callId), flush);
    },
  };
}

/**
 * The same script with logging switched off entirely (every level gated off, no provider): what
 * the simulated app costs by itself, formatting its log arguments included. Subtracted from each
 * side it leaves the logging's own cost.
 */
export function appOnlySide(label: string): CallSide {
  return {
    label,
    call(callId) {
      useGlobally(undefined);
      return measured(
        () => runCall(callId),
        () => {},
      );
    },
  };
}
