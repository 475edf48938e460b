import { context, SeverityNumber as S } from '@opentelemetry/api';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describe, expect, test } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { LogPolicyProcessor } from '../../src/pipeline/LogPolicyProcessor.ts';
import { pipeline } from '../helpers/pipeline.ts';

const LOGGERS = ['server.app', 'openai', 'openai.realtime', 'ws', 'custom.quiet', '@opentelemetry/instrumentation-pino'];
const SEVERITIES = [S.TRACE, S.DEBUG, S.DEBUG4, S.INFO, S.INFO2, S.WARN, S.ERROR, S.FATAL];
const BODIES = ['plain text', '[REALTIME] macro', '[TX_SLOW] tx key'];

describe.each([
  ['production', {}],
  ['development', { DEBUG: '0' }],
  ['production + DEBUG_TX + directives', { DEBUG_TX: '1', LOG_POLICY_LEVELS: 'custom.quiet=error' }],
])('enabled() agrees with onEmit on thresholds in %s', (_, env) => {
  test('enabled() false ⇒ onEmit drops by threshold; onEmit passes ⇒ enabled() true', () => {
    for (const name of LOGGERS) {
      for (const severityNumber of SEVERITIES) {
        for (const body of BODIES) {
          const p = pipeline({ ...env, LOG_POLICY_ONCE: 'none', LOG_POLICY_RATE_LIMITS: 'none', LOG_POLICY_CALL_BUDGET: '0' });
          const enabled = p.processor.enabled({ context: context.active(), instrumentationScope: { name }, severityNumber });
          // Bypass enabled() in the SDK Logger so that onEmit judges the record on its own.
          const record = { severityNumber, body, attributes: name.includes('pino') ? { name: 'openai' } : {} };
          (p.processor as unknown as { enabled: undefined }).enabled = undefined;
          p.logger(name).emit(record);
          const passed = p.records().length === 1;
          if (!enabled) expect(passed, `${name} ${severityNumber} ${body}`).toBe(false);
          if (passed) expect(enabled).toBe(true);
        }
      }
    }
  });
});

test('enabled() refuses records below the floor so they are never built, and counts nothing', () => {
  const p = pipeline({});
  p.logger('server.app').emit({ severityNumber: S.DEBUG, body: 'x' });
  expect(p.processor.enabled({ context: context.active(), instrumentationScope: { name: 'server.app' }, severityNumber: S.DEBUG })).toBe(false);
  expect(p.processor.stats()).toMatchObject({ seen: 0, dropped: 0 });
});

test('enabled() asks the downstream processor too', () => {
  const downstream: LogRecordProcessor = {
    onEmit: () => {},
    forceFlush: async () => {},
    shutdown: async () => {},
    enabled: () => false,
  };
  const processor = new LogPolicyProcessor(downstream, { config: loadPolicyConfig({}) });
  expect(processor.enabled({ context: context.active(), instrumentationScope: { name: 'x' }, severityNumber: S.ERROR })).toBe(false);
});

test('a downstream that throws never throws into the caller; the failure is counted', async () => {
  const downstream: LogRecordProcessor = {
    onEmit: () => {
      throw new Error('exporter exploded');
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const processor = new LogPolicyProcessor(downstream, { config: loadPolicyConfig({}) });
  const provider = new LoggerProvider({ processors: [processor] });
  expect(() => provider.getLogger('x').emit({ severityNumber: S.ERROR, body: 'boom' })).not.toThrow();
  expect(processor.stats()).toMatchObject({ seen: 1, forwarded: 1, downstreamErrors: 1 });
  await provider.shutdown();
});

test('a record whose attributes throw on access is forwarded unchanged and counted, never thrown', () => {
  const p = pipeline({});
  // The policy reads own attributes (Object.hasOwn asks getOwnPropertyDescriptor), so every trap throws.
  const hostile = new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('trap');
      },
      ownKeys: () => [],
    },
  );
  expect(() => p.processor.onEmit({ attributes: hostile, instrumentationScope: { name: 'x' } } as never)).not.toThrow();
  expect(p.processor.stats().internalErrors).toBe(1);
});
