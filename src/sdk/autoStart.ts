import { logs } from '@opentelemetry/api';
import { linkApiLogsGlobal } from '../bridges/apiLogs.ts';
import { captureConsole } from '../bridges/console.ts';
import { logBridgeInstrumentations } from '../bridges/instrumentations.ts';
import { LogPolicyConfigError } from '../config/errors.ts';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import { batchSettingsFromEnv } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { loadRegisterConfig, type RegisterConfig } from '../config/registerConfig.ts';
import { loadCallsConfig, type CallsConfig } from '../config/callsConfig.ts';
import { WsCallsInstrumentation } from '../calls/WsCallsInstrumentation.ts';
import { hookBridgedImports } from '../bridges/esmHooks.ts';
import { flushOnExit } from './flushOnExit.ts';
import { isRegistered } from './globals.ts';
import { LogsSdk } from './LogsSdk.ts';
import { describeDestination, startupLine } from './startupLine.ts';
import { policyProcessorsFromEnv } from './logExporters.ts';

const PREFIX = 'otel-log-policy';

/** Straight to the real stderr, never through a captured console. */
function say(line: string): void {
  process.stderr.write(`${PREFIX}: ${line}\n`);
}

/** Reads the configuration; a bad value ends the process at start-up with code 2 and one clear line. */
function loadConfigOrExit(env: NodeJS.ProcessEnv): { policy: PolicyConfig; register: RegisterConfig; calls: CallsConfig } {
  try {
    const loaded = { policy: loadPolicyConfig(env), register: loadRegisterConfig(env), calls: loadCallsConfig(env) };
    batchSettingsFromEnv(env); // checked here too, so a bad OTEL_BLRP_* value is one clear line at start-up
    return loaded;
  } catch (error) {
    if (!(error instanceof LogPolicyConfigError)) throw error;
    say(error.message);
    process.exit(2);
  }
}

/**
 * Starts the SDK: LogsSdk when the environment asks for logs alone, else NodeSDK, imported only then
 * (it brings every exporter it could choose; see LogsSdk).
 */
async function startSdk(policy: PolicyConfig, quiet: boolean, env: NodeJS.ProcessEnv, calls: CallsConfig): Promise<void> {
  hookBridgedImports({ calls: calls.autoCalls });
  const options = {
    // OTEL_LOGS_EXPORTER and the protocol variables are read there as NodeSDK reads them; a value not
    // accepted is said on stderr like the policy's own warnings (diag is silent by default).
    logRecordProcessors: policyProcessorsFromEnv(
      { config: policy, ...(quiet ? {} : { exportFailureNotice: { write: (line: string) => void process.stderr.write(line) } }) },
      env,
      say,
    ),
    instrumentations: [...logBridgeInstrumentations(), ...(calls.autoCalls ? [new WsCallsInstrumentation({ paths: calls.callPaths })] : [])],
  };
  const tracingRegistered = isRegistered('trace');
  const sdk =
    LogsSdk.needsNodeSdk(env, tracingRegistered) === undefined
      ? new LogsSdk(options, env)
      : // Tracing someone already set up stays theirs.
        new (await import('@opentelemetry/sdk-node')).NodeSDK({ ...options, ...(tracingRegistered ? { spanProcessors: [] } : {}) });
  sdk.start();
  if (!isRegistered('logs')) return; // OTEL_SDK_DISABLED=true
  const provider = logs.getLoggerProvider() as { forceFlush?: () => Promise<void> };
  linkApiLogsGlobal();
  flushOnExit({ flush: () => provider.forceFlush?.() ?? Promise.resolve(), shutdown: () => sdk.shutdown() });
}

function started(config: { policy: PolicyConfig; register: RegisterConfig; calls: CallsConfig }, env: NodeJS.ProcessEnv): string {
  return startupLine({
    policy: config.policy,
    destination: describeDestination(env),
    console: { captured: config.register.captureConsole, echo: config.register.consoleEcho },
    calls: { enabled: config.calls.autoCalls, paths: config.calls.callPaths },
  });
}

/**
 * What `--import otel-log-policy/register` does: start the OpenTelemetry SDK with the policy (and the
 * pino and winston bridges) unless the app has already registered a logger provider, register it in
 * both logs globals, flush on exit, and capture the console when LOG_POLICY_CAPTURE_CONSOLE=1. Says
 * so in one stderr line (and warns when exports fail) unless LOG_POLICY_QUIET=1. It adds no listener
 * for uncaught exceptions or unhandled rejections: Node's own printing and exit codes stay.
 */
export async function autoStart(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfigOrExit(env);
  for (const warning of config.policy.warnings) say(warning);
  try {
    if (isRegistered('logs')) {
      if (!config.register.quiet) say('a LoggerProvider is already registered, so register starts none; pass logPolicyProcessors() to that SDK to apply the policy');
      linkApiLogsGlobal();
    } else {
      await startSdk(config.policy, config.register.quiet, env, config.calls);
      if (!config.register.quiet) say(isRegistered('logs') ? started(config, env) : 'OTEL_SDK_DISABLED is set: nothing started, the console left as it is');
    }
    // With no provider (OTEL_SDK_DISABLED) captured lines would vanish: the console stays as it is.
    if (config.register.captureConsole && isRegistered('logs')) captureConsole({ echo: config.register.consoleEcho });
  } catch (error) {
    // The app runs on without the policy rather than not at all.
    say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
