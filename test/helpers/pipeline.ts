import { logs, type Logger, type LoggerProvider as ApiLoggerProvider } from '@opentelemetry/api';
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
 * The logs API keeps one global provider per process, and loggers taken from it stay bound to
 * it. Tests register this one once and point it at each test's own pipeline.
 */
class SwitchableProvider implements ApiLoggerProvider {
  current: ApiLoggerProvider | undefined;
  getLogger(name: string, version?: string): Logger {
    const target = () => this.current?.getLogger(name, version);
    return {
      emit: (record) => target()?.emit(record),
      enabled: (options) => target()?.enabled(options) ?? false,
    };
  }
}
const switchable = new SwitchableProvider();
logs.setGlobalLoggerProvider(switchable);

/** Points the global logs API (startCall's lifecycle events, getLogger) at `provider`. */
export function useGlobally(provider: ApiLoggerProvider): void {
  switchable.current = provider;
}

/** The real LoggerProvider → LogPolicyProcessor → SimpleLogRecordProcessor → in-memory exporter. */
export function pipeline(
  env: Record<string, string> = {},
  options: { global?: boolean; wrapExporter?: (exporter: InMemoryLogRecordExporter) => LogRecordExporter } = {},
) {
  const clock = new FakeClock();
  const exporter = new InMemoryLogRecordExporter();
  const exporting = options.wrapExporter?.(exporter) ?? exporter;
  const processor = new LogPolicyProcessor(new SimpleLogRecordProcessor({ exporter: exporting }), { config: loadPolicyConfig(env), now: clock.now });
  const provider = new LoggerProvider({ processors: [processor] });
  if (options.global === true) switchable.current = provider;
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

