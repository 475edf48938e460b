import { once } from 'node:events';
import { context, logs, type Logger, type LoggerProvider as ApiLoggerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ExportResult } from '@opentelemetry/core';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
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

/** OTLP over HTTP with protobuf (NodeSDK's default protocol) and gzip, as a service sending to a remote collector would. */
export function otlpExporter(sinkUrl: string): OTLPLogExporter {
  return new OTLPLogExporter({ url: sinkUrl, compression: CompressionAlgorithm.GZIP });
}

let contextManagerSet = false;

/**
 * Registers what a service's SDK setup registers (an AsyncLocalStorage context manager, once, and
 * a global logger provider), the plain OpenTelemetry way: `logs.disable()` then
 * `setGlobalLoggerProvider`. getLogger facades and startCall follow the provider registered now;
 * `undefined` leaves none registered.
 */
export function useGlobally(provider: ApiLoggerProvider | undefined): void {
  if (!contextManagerSet) {
    contextManagerSet = true;
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  }
  logs.disable();
  if (provider !== undefined) logs.setGlobalLoggerProvider(provider);
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
