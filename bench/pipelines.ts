import { once } from 'node:events';
import { context, logs, type Logger, type LoggerProvider as ApiLoggerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import {
  BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import pino from 'pino';
import { loadPolicyConfig } from '../src/config/loadPolicyConfig.ts';
import { LogPolicyProcessor } from '../src/pipeline/LogPolicyProcessor.ts';

/** The bare SDK's cheapest honest exporter: accepts every batch and keeps nothing. */
export class DiscardExporter implements LogRecordExporter {
  exported = 0;
  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.exported += records.length;
    done({ code: 0 } as ExportResult); // ExportResultCode.SUCCESS
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export const PRODUCTION = { LOG_POLICY_MODE: 'production' } as const;
export const DEVELOPMENT = { LOG_POLICY_MODE: 'development' } as const;

export interface Pipeline {
  provider: LoggerProvider;
  /** The policy, when the pipeline has one. */
  policy: LogPolicyProcessor | undefined;
  exporter: LogRecordExporter;
  logger(name: string): Logger;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * LoggerProvider → [LogPolicyProcessor →] BatchLogRecordProcessor → exporter: the SDK wiring a
 * service uses, with the policy (`env` is its configuration) or without it (`env` undefined).
 */
export function pipeline(env: Record<string, string> | undefined, exporter: LogRecordExporter = new DiscardExporter()): Pipeline {
  const batch = new BatchLogRecordProcessor({ exporter });
  const policy = env === undefined ? undefined : new LogPolicyProcessor(batch, { config: loadPolicyConfig(env) });
  return providerOver(policy ?? batch, policy, exporter);
}

/** A LoggerProvider whose one processor is `processor` (the policy or the bare batch). */
export function providerOver(processor: LogRecordProcessor, policy: LogPolicyProcessor | undefined, exporter: LogRecordExporter): Pipeline {
  const provider = new LoggerProvider({ processors: [processor] });
  return {
    provider,
    policy,
    exporter,
    logger: (name) => provider.getLogger(name),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

export function otlpExporter(sinkUrl: string): OTLPLogExporter {
  return new OTLPLogExporter({ url: sinkUrl });
}

/**
 * The global logs API binds each logger to the first provider registered, for good. Cases that
 * compare two pipelines through `getLogger`/`startCall` register this once and point it at one
 * pipeline at a time; each forwarding logger caches its target, so a switch costs nothing per emit.
 */
class SwitchableProvider implements ApiLoggerProvider {
  private current: ApiLoggerProvider | undefined;
  private readonly forwarders = new Map<string, { target: Logger | undefined }>();

  use(provider: ApiLoggerProvider | undefined): void {
    this.current = provider;
    for (const [name, forwarder] of this.forwarders) forwarder.target = provider?.getLogger(name);
  }

  getLogger(name: string): Logger {
    let forwarder = this.forwarders.get(name);
    if (forwarder === undefined) {
      forwarder = { target: this.current?.getLogger(name) };
      this.forwarders.set(name, forwarder);
    }
    const f = forwarder;
    return {
      emit: (record) => f.target?.emit(record),
      enabled: (options) => f.target?.enabled(options) ?? false,
    };
  }
}

let switchable: SwitchableProvider | undefined;

/**
 * Registers what a service's SDK setup registers (an AsyncLocalStorage context manager and a
 * global logger provider) and points the global provider at `provider`.
 */
export function useGlobally(provider: ApiLoggerProvider | undefined): void {
  if (switchable === undefined) {
    switchable = new SwitchableProvider();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    logs.setGlobalLoggerProvider(switchable);
  }
  switchable.use(provider);
}

/**
 * pino as its docs advise for speed: an asynchronous SonicBoom destination (buffered writes),
 * here to /dev/null, opened before the caller measures anything.
 */
export async function pinoDevNull(level: string): Promise<{ logger: pino.Logger; flush: () => void }> {
  const destination = pino.destination({ dest: '/dev/null', sync: false });
  await once(destination, 'ready');
  return { logger: pino({ level }, destination), flush: () => destination.flushSync() };
}
