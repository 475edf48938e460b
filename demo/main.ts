/**
 * `npm run demo`: a simulated voice-call server. Several overlapping calls, each in its own
 * CallScope, log the way a voice agent does; LogPolicyProcessor decides what leaves the process.
 * Without a collector the records that pass are printed, one line each; with
 * OTEL_EXPORTER_OTLP_ENDPOINT they go to the collector. Then a table: produced vs exported.
 */
import { SeverityNumber } from '@opentelemetry/api';
import { ESCALATION_ATTRIBUTE, getLogger, loadPolicyConfig, LogPolicyConfigError, type PolicyConfig } from '../src/index.ts';
import { otlpEndpointFromEnv } from '../src/config/otelEnv.ts';
import { modeLine } from '../src/cli/describe.ts';
import { UsageError } from '../src/cli/command.ts';
import { parseDemoArgs, USAGE, type DemoArgs } from './args.ts';
import { callSteps } from './callScript.ts';
import { clockLabel } from './consoleExporter.ts';
import { interleave } from './interleave.ts';
import { summaryTable } from './summaryTable.ts';
import { consoleTelemetry, otlpTelemetry } from './telemetry.ts';
import { VirtualClock } from './virtualClock.ts';

const DEFAULT_SERVICE_NAME = 'otel-log-policy-demo';
// Piped into `head`, stdout closes early: that ends the output, it is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function readInputs(argv: readonly string[]): { args: DemoArgs; config: PolicyConfig } | number {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`demo: ${error.message}\n${error.usage}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  try {
    return { args, config: loadPolicyConfig(process.env) };
  } catch (error) {
    if (!(error instanceof LogPolicyConfigError)) throw error;
    err(`${error.name}: ${error.message}`);
    return 2;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const inputs = readInputs(argv);
  if (typeof inputs === 'number') return inputs;
  const { args, config } = inputs;
  const clock = new VirtualClock();
  const endpoint = otlpEndpointFromEnv(process.env);
  const serviceName = process.env['OTEL_SERVICE_NAME']?.trim() || DEFAULT_SERVICE_NAME;
  const telemetry =
    endpoint === undefined
      ? consoleTelemetry(config, clock.now, out, process.stdout.isTTY === true)
      : otlpTelemetry(config, clock.now, serviceName, (process.env['OTEL_TRACES_EXPORTER']?.trim() ?? '') !== '');

  // Calls start a little apart and overlap: the last starts before the first is half done.
  const staggerMs = (args.duration * 1000) / (2 * args.calls);
  const totalMs = args.duration * 1000 + staggerMs * (args.calls - 1);
  err(
    `demo: ${args.calls} calls of ${args.duration}s at ${args.rate} frames/s, speed ${args.speed === Infinity ? 'max' : `${args.speed}x`}, ` +
      `policy: ${modeLine(config)}, records → ${endpoint === undefined ? 'console' : `${endpoint} (service.name=${serviceName})`}`,
  );
  for (const warning of config.warnings) err(`demo: config warning: ${warning}`);
  if (args.failCall !== undefined) {
    err(
      `demo: call-${args.failCall} breaks half-way with a SERVER_ERROR; ` +
        (config.recorder === 0
          ? 'set LOG_POLICY_RECORDER=200 to see its dropped records flushed before the error'
          : config.recorderFlushSeverity <= SeverityNumber.ERROR
            ? "every call's [DSP] ERROR flushes its recorder too; LOG_POLICY_RECORDER_FLUSH_ON=SERVER_ERROR flushes only the failing call"
            : `up to its last ${config.recorder} dropped records are flushed just before the error`),
    );
  }
  if (args.verboseCall !== undefined) err(`demo: call-${args.verboseCall} is escalated (log.policy.mode=development): development thresholds and no budget`);

  getLogger('server.app').event('BOOT', { 'demo.calls': args.calls, 'demo.duration_s': args.duration }, 'voice server ready');
  const calls = Array.from({ length: args.calls }, (_, i) => {
    const id = `call-${i + 1}`;
    const attributes = {
      'caller.number': `+1555010${String(i).padStart(4, '0')}`,
      ...(args.verboseCall === i + 1 ? { [ESCALATION_ATTRIBUTE]: 'development' } : {}),
    };
    return { id, startAt: i * staggerMs, steps: callSteps(clock, id, args.duration, args.rate, { attributes, failing: args.failCall === i + 1 }) };
  });
  const produced = await interleave(clock, calls, {
    speed: args.speed,
    onProgress: ({ virtualMs, open, done }) =>
      err(`demo: ${Math.floor((100 * virtualMs) / totalMs)}% ${clockLabel(virtualMs)} of ${clockLabel(totalMs)}, ${open} calls open, ${done} done`),
  });
  let flushError: unknown;
  try {
    await telemetry.shutdown();
  } catch (error) {
    flushError = error; // the table still says what got through
  }

  out('');
  for (const line of summaryTable({
    config,
    calls: calls.map((call, i) => ({ id: call.id, produced: produced[i]! })),
    outsideProduced: 1,
    counts: telemetry.counts,
    stats: telemetry.policy.stats(),
  }))
    out(line);
  if (endpoint === undefined) return 0;
  if (flushError !== undefined || telemetry.counts.failed > 0) {
    const why = flushError instanceof Error ? flushError.message : flushError === undefined ? 'the exporter reported failures' : String(flushError);
    err(`demo: sending to ${endpoint} failed (${why}); is the collector up?`);
    return 1;
  }
  out(`Sent to ${endpoint} as service.name=${serviceName}.`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
