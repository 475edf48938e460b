// Test helper for the fault tests: the package's own pipeline (logPolicyProcessors: policy →
// sanitizer → redaction → batch → retry buffer → OTLP/HTTP) pointed at the real collector.
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { afterEach, beforeEach } from 'vitest';
import { useGlobally } from '../helpers/pipeline.ts';

export { simulateCall } from '../fixtures/simulatedCall.ts';

export function policyPipeline(otlpHttpUrl: string, env: Record<string, string> = {}) {
  const [policy] = logPolicyProcessors({
    config: loadPolicyConfig({ LOG_POLICY_MODE: 'production', ...env }),
    exporter: new OTLPLogExporter({ url: `${otlpHttpUrl}/v1/logs` }),
  });
  const provider = new LoggerProvider({ processors: [policy] });
  useGlobally(provider);
  return { policy, provider };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Collects the process's unhandled rejections during each test of the file (the service must see
 * none): registers vitest hooks, returns the list, emptied before each test.
 */
export function watchUnhandledRejections(): unknown[] {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  return unhandled;
}
