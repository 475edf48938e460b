import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describe, expect, test } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { LogPolicyProcessor } from '../../src/pipeline/LogPolicyProcessor.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { FakeExporter } from '../helpers/fakeExporter.ts';

function setup(mode: FakeExporter['mode']) {
  const inner = new FakeExporter();
  inner.mode = mode;
  const [policy] = logPolicyProcessors({ config: loadPolicyConfig({ LOG_POLICY_MODE: 'development' }), exporter: inner });
  const provider = new LoggerProvider({ processors: [policy] });
  return { inner, policy, provider, logger: provider.getLogger('app') };
}

describe('downstream failure never blocks or throws into emit', () => {
  test('a hanging exporter: emit returns at once, the queue stays bounded, drops are counted', async () => {
    const { inner, policy, logger } = setup('hang');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      // Synchronous loop: if any emit waited on the exporter, this test would never finish.
      for (let i = 0; i < 10_000; i++) logger.emit({ severityNumber: 9, body: `record ${i}` });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(inner.attempts).toBe(1); // one batch of 512 in flight, never answered
    const stats = policy.stats();
    expect(stats.forwarded).toBe(10_000);
    // The SDK's queue holds 2048 (OTEL_BLRP_MAX_QUEUE_SIZE); the rest is dropped and counted, not held.
    expect(stats.export!.queueDropped).toBe(10_000 - 512 - 2048);
    expect(unhandled).toEqual([]);
  });

  test('a throwing exporter: emit never throws; what it throws on is split down to single records, dropped and counted, never re-sent forever', async () => {
    const { inner, policy, provider, logger } = setup('throw');
    for (let i = 0; i < 30; i++) {
      expect(() => logger.emit({ severityNumber: 9, body: `record ${i}` })).not.toThrow();
      expect(() => logger.emit({ severityNumber: 17, body: `error ${i}` })).not.toThrow();
    }
    await expect(provider.forceFlush()).resolves.toBeUndefined();
    const stats = policy.stats().export!;
    // A synchronous throw is the exporter refusing these records (the OTLP exporter throws while
    // serializing, e.g. a NaN timestamp): kept, they would be re-sent, and refused, forever.
    expect(stats).toMatchObject({ refused: 60, exportFailed: 0, retryBuffered: 0 });
    inner.mode = 'up';
    logger.emit({ severityNumber: 17, body: 'after' });
    await provider.shutdown();
    expect(inner.bodies()).toEqual(['after']);
  });

  test('a downstream processor that throws is counted by the policy, never thrown to the caller', () => {
    const exploding = {
      onEmit() {
        throw new Error('processor exploded');
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    // Without the policy in front, the SDK lets the exception through: this is what the policy guards against.
    expect(() => new LoggerProvider({ processors: [exploding] }).getLogger('a').emit({ body: 'x' })).toThrow('processor exploded');
    const policy = new LogPolicyProcessor(exploding, { config: loadPolicyConfig({}) });
    expect(() => new LoggerProvider({ processors: [policy] }).getLogger('a').emit({ severityNumber: 13, body: 'x' })).not.toThrow();
    expect(policy.stats().downstreamErrors).toBe(1);
  });
});
