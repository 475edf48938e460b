import { logs, type LoggerProvider as ApiLoggerProvider } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { LogPolicyProcessor } from '../../src/pipeline/LogPolicyProcessor.ts';

/** A fake millisecond clock: time moves only when a test says so. */
export class FakeClock {
  t = 1_000;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * Registers `provider` in the logs API the plain OpenTelemetry way (`logs.disable()`, then
 * `setGlobalLoggerProvider`): getLogger facades and startCall follow the provider registered now.
 */
export function useGlobally(provider: ApiLoggerProvider): void {
  logs.disable();
  logs.setGlobalLoggerProvider(provider);
}

/** The real LoggerProvider → LogPolicyProcessor → SimpleLogRecordProcessor → in-memory exporter. */
export function pipeline(env: Record<string, string> = {}, options: { global?: boolean; wrapExporter?: (exporter: InMemoryLogRecordExporter) => LogRecordExporter } = {}) {
  const clock = new FakeClock();
  const exporter = new InMemoryLogRecordExporter();
  const exporting = options.wrapExporter?.(exporter) ?? exporter;
  const processor = new LogPolicyProcessor(new SimpleLogRecordProcessor({ exporter: exporting }), { config: loadPolicyConfig(env), now: clock.now });
  const provider = new LoggerProvider({ processors: [processor] });
  if (options.global === true) useGlobally(provider);
  const records = () => exporter.getFinishedLogRecords();
  return {
    clock,
    exporter,
    processor,
    provider,
    logger: (name: string) => provider.getLogger(name),
    records,
    bodies: () => records().map((r) => r.body),
    keys: (key: string) => records().filter((r) => r.attributes['log.key'] === key || (typeof r.body === 'string' && r.body.startsWith(`[${key}]`))),
  };
}

export type Pipeline = ReturnType<typeof pipeline>;
