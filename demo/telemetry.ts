import { logs } from '@opentelemetry/api';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { LogPolicyProcessor, logPolicyProcessors, type PolicyConfig } from '../src/index.ts';
import { logExportersSetting } from '../src/config/otelEnv.ts';
import { otlpLogExporter } from '../src/sdk/logExporters.ts';
import { ConsoleLogExporter } from './consoleExporter.ts';
import { CountingExporter } from './countingExporter.ts';

/** Where the demo's records go, and what it needs back for the summary. */
export interface DemoTelemetry {
  policy: LogPolicyProcessor;
  counts: CountingExporter;
  /** Flushes what is pending and shuts the providers down. */
  shutdown(): Promise<void>;
}

/** No collector: the policy over a console exporter, one line per record that passes. */
export function consoleTelemetry(config: PolicyConfig, now: () => number, write: (line: string) => void, color: boolean): DemoTelemetry {
  const counts = new CountingExporter(new ConsoleLogExporter({ write, now, color }));
  const policy = new LogPolicyProcessor(new SimpleLogRecordProcessor({ exporter: counts }), { config, now });
  const provider = new LoggerProvider({ processors: [policy] });
  logs.setGlobalLoggerProvider(provider);
  return { policy, counts, shutdown: () => provider.shutdown() };
}

/**
 * A collector: the NodeSDK with logPolicyProcessors() (policy → batch → the SDK's OTLP exporter for
 * OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL, http/protobuf by default, configured by the OTEL_EXPORTER_OTLP_*
 * variables) and tracing on, so each call's `call` span gives its records
 * one trace id. Metrics as NodeSDK reads them from OTEL_METRICS_EXPORTER (default OTLP): the
 * policy's `log_policy.*` counters go to the collector, and once more at shutdown.
 */
export function otlpTelemetry(config: PolicyConfig, now: () => number, serviceName: string, tracesExporterSet: boolean): DemoTelemetry {
  const counts = new CountingExporter(otlpLogExporter(logExportersSetting(process.env).protocol));
  const processors = logPolicyProcessors({ config, exporter: counts, now });
  const policy = processors[0];
  if (!(policy instanceof LogPolicyProcessor)) throw new Error('logPolicyProcessors() no longer returns the LogPolicyProcessor first');
  // The calls' spans are there to give records trace ids; they are exported only if the user asks
  // (OTEL_TRACES_EXPORTER), since the stack's collector drops them (it has no trace backend).
  const spans = tracesExporterSet ? {} : { spanProcessors: [new NoopSpanProcessor()] };
  const sdk = new NodeSDK({ serviceName, logRecordProcessors: processors, ...spans });
  sdk.start();
  return {
    policy,
    counts,
    async shutdown() {
      // Logs first and on their own, so their export results are in even if the traces' shutdown fails.
      let failure: unknown;
      try {
        await policy.forceFlush();
      } catch (error) {
        failure = error;
      }
      try {
        await sdk.shutdown();
      } catch (error) {
        failure ??= error;
      }
      if (failure !== undefined) throw failure;
    },
  };
}
