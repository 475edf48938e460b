import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describe, expect, test } from 'vitest';
import { LogPolicyConfigError } from '../../src/config/errors.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { batchSettingsFromEnv } from '../../src/config/otelEnv.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { FakeExporter } from '../helpers/fakeExporter.ts';

function refusal(env: Record<string, string>): LogPolicyConfigError {
  try {
    batchSettingsFromEnv(env);
  } catch (error) {
    if (error instanceof LogPolicyConfigError) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

describe('OTEL_BLRP_* variables', () => {
  test('valid values are passed to the BatchLogRecordProcessor as numbers; unset and empty mean the SDK default', () => {
    expect(
      batchSettingsFromEnv({ OTEL_BLRP_MAX_QUEUE_SIZE: '4096', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: ' 1024 ', OTEL_BLRP_SCHEDULE_DELAY: '0', OTEL_BLRP_EXPORT_TIMEOUT: '2500.5' }),
    ).toEqual({
      maxQueueSize: 4096,
      maxExportBatchSize: 1024,
      scheduledDelayMillis: 0,
      exportTimeoutMillis: 2500.5,
    });
    expect(batchSettingsFromEnv({ OTEL_BLRP_MAX_QUEUE_SIZE: '', OTEL_BLRP_EXPORT_TIMEOUT: '  ' })).toEqual({});
    expect(batchSettingsFromEnv({ OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '2048' })).toEqual({ maxExportBatchSize: 2048 });
  });

  test.each([
    // 0: the SDK exports empty batches in a loop forever; 0 queue: every record is dropped silently.
    ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', '0'],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', '0'],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', '12.5'],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', '-1'],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', 'lots'],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', '0x10'],
    ['OTEL_BLRP_EXPORT_TIMEOUT', '0'],
    // Node runs a timer over 2^31-1 ms after 1 ms.
    ['OTEL_BLRP_SCHEDULE_DELAY', '99999999999'],
    ['OTEL_BLRP_SCHEDULE_DELAY', '1s'],
    ['OTEL_BLRP_SCHEDULE_DELAY', 'Infinity'],
  ])('%s=%s is refused with a LogPolicyConfigError naming the variable, the value and what is accepted', (variable, value) => {
    const error = refusal({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.value).toBe(value);
    expect(error.message).toMatch(new RegExp(`^${variable}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not valid: accepted: `));
  });

  test('a batch size above the queue size is refused, against the SDK default queue when it is unset', () => {
    expect(refusal({ OTEL_BLRP_MAX_QUEUE_SIZE: '100', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '200' }).message).toBe(
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE="200" is not valid: accepted: at most OTEL_BLRP_MAX_QUEUE_SIZE (100), a larger batch never fills',
    );
    expect(refusal({ OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '4096' }).message).toContain('at most OTEL_BLRP_MAX_QUEUE_SIZE (2048, the SDK default)');
  });

  test('logPolicyProcessors refuses them at start-up instead of building a processor that spins or drops everything', () => {
    const build = () => logPolicyProcessors({ config: loadPolicyConfig({}), exporter: new FakeExporter() });
    for (const [variable, value] of [
      ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', '0'],
      ['OTEL_BLRP_MAX_QUEUE_SIZE', '0'],
    ] as const) {
      process.env[variable] = value;
      try {
        expect(build).toThrow(LogPolicyConfigError);
      } finally {
        delete process.env[variable];
      }
    }
    // And with nothing set, the same chain is built and delivers.
    const [policy] = build();
    const provider = new LoggerProvider({ processors: [policy] });
    provider.getLogger('t').emit({ severityNumber: 17, body: 'still here' });
    return provider.forceFlush().then(() => expect(policy.stats().export!.exported).toBe(1));
  });
});
