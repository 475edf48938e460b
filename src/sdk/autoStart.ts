import { logs } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { linkApiLogsGlobal } from '../bridges/apiLogs.ts';
import { captureConsole } from '../bridges/console.ts';
import { logBridgeInstrumentations } from '../bridges/instrumentations.ts';
import { LogPolicyConfigError } from '../config/errors.ts';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { loadRegisterConfig, type RegisterConfig } from '../config/registerConfig.ts';
import { loadCallsConfig, type CallsConfig } from '../config/callsConfig.ts';
import { WsCallsInstrumentation } from '../calls/WsCallsInstrumentation.ts';
import { hookBridgedImports } from '../bridges/esmHooks.ts';
import { flushOnExit } from './flushOnExit.ts';
import { isRegistered } from './globals.ts';
import { logPolicyProcessors } from '../pipeline/assemble.ts';

const PREFIX = 'otel-log-policy';

function say(line: string): void {
  process.stderr.write(`${PREFIX}: ${line}\n`);
}

/** Reads the configuration; a bad value ends the process at start-up with code 2 and one clear line. */
function loadConfigOrExit(env: NodeJS.ProcessEnv): { policy: PolicyConfig; register: RegisterConfig; calls: CallsConfig } {
  try {
    return { policy: loadPolicyConfig(env), register: loadRegisterConfig(env), calls: loadCallsConfig(env) };
  } catch (error) {
    if (!(error instanceof LogPolicyConfigError)) throw error;
    say(error.message);
    process.exit(2);
  }
}

function startSdk(policy: PolicyConfig, calls: CallsConfig): void {
  hookBridgedImports();
  const sdk = new NodeSDK({
    logRecordProcessors: logPolicyProcessors({ config: policy }),
    instrumentations: [...logBridgeInstrumentations(), ...(calls.autoCalls ? [new WsCallsInstrumentation({ paths: calls.callPaths })] : [])],
    // Tracing someone already set up stays theirs.
    ...(isRegistered('trace') ? { spanProcessors: [] } : {}),
  });
  sdk.start();
  if (!isRegistered('logs')) return; // OTEL_SDK_DISABLED=true
  const provider = logs.getLoggerProvider() as { forceFlush?: () => Promise<void> };
  linkApiLogsGlobal();
  flushOnExit({ flush: () => provider.forceFlush?.() ?? Promise.resolve(), shutdown: () => sdk.shutdown() });
}

/**
 * What `--import otel-log-policy/register` does: start the OpenTelemetry SDK with the policy (and the
 * pino and winston bridges) unless the app has already registered a logger provider, register it in
 * both logs globals, flush on exit, and capture the console when LOG_POLICY_CAPTURE_CONSOLE=1.
 */
export function autoStart(env: NodeJS.ProcessEnv = process.env): void {
  const config = loadConfigOrExit(env);
  for (const warning of config.policy.warnings) say(warning);
  try {
    if (isRegistered('logs')) {
      say('a LoggerProvider is already registered, so register starts none; pass logPolicyProcessors() to that SDK to apply the policy');
      linkApiLogsGlobal();
    } else {
      startSdk(config.policy, config.calls);
    }
    // With no provider (OTEL_SDK_DISABLED) captured lines would vanish: the console stays as it is.
    if (config.register.captureConsole && isRegistered('logs')) captureConsole({ echo: config.register.consoleEcho });
  } catch (error) {
    // The app runs on without the policy rather than not at all.
    say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
