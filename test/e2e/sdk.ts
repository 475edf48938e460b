// Test helper: a real OpenTelemetry JS SDK setup (LoggerProvider with a
// BatchLogRecordProcessor and the OTLP/HTTP exporter, a TracerProvider for
// real spans, the AsyncLocalStorage context manager registered globally as an
// app's SDK setup would) pointed at the collector's OTLP/HTTP receiver.
import { context, trace, type Logger, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { TracerProvider } from '@opentelemetry/sdk-trace';

export interface SdkHandles {
  logger: Logger;
  tracer: Tracer;
  /** Runs fn with span active in the context (so records emitted in it carry its trace/span ids). */
  inSpan<T>(span: Span, fn: () => T): T;
}

/**
 * Sets the SDK up, runs fn, then shuts the providers down (which flushes
 * every record to the collector) and unregisters the context manager.
 */
export async function withSdk<T>(otlpHttpUrl: string, serviceName: string, fn: (sdk: SdkHandles) => T | Promise<T>): Promise<T> {
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  if (!context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())) {
    throw new Error('a global context manager is already registered');
  }
  const tracerProvider = new TracerProvider({ resource });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${otlpHttpUrl}/v1/logs` }) })],
  });
  try {
    return await fn({
      logger: loggerProvider.getLogger('otel-log-policy-e2e'),
      tracer: tracerProvider.getTracer('otel-log-policy-e2e'),
      inSpan: (span, f) => context.with(trace.setSpan(context.active(), span), f),
    });
  } finally {
    await loggerProvider.shutdown();
    await tracerProvider.shutdown();
    context.disable();
  }
}
