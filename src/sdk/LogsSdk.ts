import { context, DiagConsoleLogger, diag, logs, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, diagLogLevelFromString, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  type ResourceDetector,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { type Env, read, readList } from '../config/envReaders.ts';

/** OTEL_NODE_RESOURCE_DETECTORS's names, as NodeSDK maps them. */
const DETECTORS: Readonly<Record<string, ResourceDetector>> = {
  host: hostDetector,
  os: osDetector,
  serviceinstance: serviceInstanceIdDetector,
  process: processDetector,
  env: envDetector,
};
/** NodeSDK's detectors when OTEL_NODE_RESOURCE_DETECTORS is unset. */
const DEFAULT_DETECTORS = [envDetector, processDetector, hostDetector];
/** OTEL_PROPAGATORS values this start covers; b3 and b3multi need NodeSDK's propagator-b3. */
const PROPAGATORS: Readonly<Record<string, () => W3CTraceContextPropagator | W3CBaggagePropagator>> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
};

export interface LogsSdkOptions {
  logRecordProcessors: LogRecordProcessor[];
  instrumentations: Instrumentation[];
}

/**
 * What NodeSDK starts when the environment asks for logs alone, started from the SDK's own parts:
 * OTEL_LOG_LEVEL's diag logger, the instrumentations, the AsyncLocalStorage context manager, the
 * W3C propagators (OTEL_PROPAGATORS), the resource from NodeSDK's detectors
 * (OTEL_NODE_RESOURCE_DETECTORS), and a LoggerProvider with OTEL_LOGRECORD_* limits, registered.
 * It does not import @opentelemetry/sdk-node, which imports every trace, metric and log exporter it
 * could choose (gRPC, Prometheus, Zipkin) and a YAML loader: about 5.6 MiB of heap that a server
 * would carry, and mark in every major GC, for nothing. `needsNodeSdk` says when it would not do.
 */
export class LogsSdk {
  private provider: LoggerProvider | undefined;
  private readonly options: LogsSdkOptions;
  private readonly env: Env;

  constructor(options: LogsSdkOptions, env: Env = process.env) {
    this.options = options;
    this.env = env;
  }

  /**
   * What the environment asks for that only NodeSDK starts (traces, metrics, a propagator or resource
   * detector named here that this start does not cover), or undefined when LogsSdk starts it all.
   * `tracingRegistered`: someone else's tracing stays theirs, so traces do not count then.
   */
  static needsNodeSdk(env: Env, tracingRegistered: boolean): string | undefined {
    // As NodeSDK reads them: traces are off only when `none` comes first, metrics when `none` is anywhere.
    const traces = [...new Set(readList(env, 'OTEL_TRACES_EXPORTER') ?? [])].filter((name) => name !== 'null');
    if (!tracingRegistered && traces[0] !== 'none') return `traces (OTEL_TRACES_EXPORTER=${env['OTEL_TRACES_EXPORTER'] ?? ''})`;
    if (!(readList(env, 'OTEL_METRICS_EXPORTER') ?? []).includes('none')) return `metrics (OTEL_METRICS_EXPORTER=${env['OTEL_METRICS_EXPORTER'] ?? ''})`;
    const propagators = readList(env, 'OTEL_PROPAGATORS');
    if (propagators !== undefined && !propagators.includes('none') && propagators.some((name) => !Object.hasOwn(PROPAGATORS, name))) {
      return `OTEL_PROPAGATORS=${env['OTEL_PROPAGATORS']}`;
    }
    const detectors = readList(env, 'OTEL_NODE_RESOURCE_DETECTORS');
    if (detectors?.some((name) => name !== 'all' && name !== 'none' && !Object.hasOwn(DETECTORS, name))) {
      return `OTEL_NODE_RESOURCE_DETECTORS=${env['OTEL_NODE_RESOURCE_DETECTORS']}`;
    }
    return undefined;
  }

  /** Registers it all in the API, as NodeSDK's start() does; nothing with OTEL_SDK_DISABLED=true. */
  start(): void {
    const env = this.env;
    if (read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return;
    const level = read(env, 'OTEL_LOG_LEVEL');
    if (level) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(level) });
    registerInstrumentations({ instrumentations: this.options.instrumentations });
    const manager = new AsyncLocalStorageContextManager();
    manager.enable();
    context.setGlobalContextManager(manager);
    const propagators = readList(env, 'OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'];
    if (!propagators.includes('none')) {
      propagation.setGlobalPropagator(new CompositePropagator({ propagators: [...new Set(propagators)].map((name) => PROPAGATORS[name]!()) }));
    }
    this.provider = new LoggerProvider({
      resource: defaultResource().merge(detectResources({ detectors: detectorsFromEnv(env) })),
      logRecordLimits: {
        attributeCountLimit: positive(env, 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT') ?? positive(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
        attributeValueLengthLimit: positive(env, 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? positive(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
      },
      processors: this.options.logRecordProcessors,
    });
    logs.setGlobalLoggerProvider(this.provider);
  }

  shutdown(): Promise<void> {
    return this.provider?.shutdown() ?? Promise.resolve();
  }
}

function detectorsFromEnv(env: Env): ResourceDetector[] {
  const names = readList(env, 'OTEL_NODE_RESOURCE_DETECTORS');
  if (names === undefined) return DEFAULT_DETECTORS;
  if (names.includes('all')) return Object.values(DETECTORS);
  if (names.includes('none')) return [];
  return names.map((name) => DETECTORS[name]!);
}

/** A number above 0, else undefined (the SDK's default), as NodeSDK reads these limits. */
function positive(env: Env, variable: string): number | undefined {
  const text = env[variable]?.trim();
  const value = text ? Number(text) : Number.NaN;
  return value > 0 ? value : undefined;
}
