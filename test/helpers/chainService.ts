import { InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { useGlobally } from './pipeline.ts';

/**
 * The whole logPolicyProcessors() chain (policy, sanitizer, redaction, batch, retry buffer) in a
 * real LoggerProvider registered globally, into the in-memory exporter, with the policy of `env`.
 */
export function chainService(env: Record<string, string>) {
  const exporter = new InMemoryLogRecordExporter();
  const [policy] = logPolicyProcessors({ config: loadPolicyConfig(env), exporter });
  const provider = new LoggerProvider({ processors: [policy] });
  useGlobally(provider);
  return {
    policy,
    provider,
    exported: async () => {
      await provider.forceFlush();
      return exporter.getFinishedLogRecords();
    },
  };
}
