import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink, type SinkRecord } from '../helpers/otlpSink.ts';

const PINO = '@opentelemetry/instrumentation-pino';
const WINSTON = '@opentelemetry/winston-transport';

/**
 * The official pino and winston bridges with the real libraries, in child processes (the
 * instrumentations must be in place before pino and winston load): their records go through the
 * policy under the logger's own name (the `name` / `logger.name` attribute), key and level.
 */
describe('pino and winston through the policy', { timeout: 30_000 }, () => {
  let sink: OtlpSink;
  beforeAll(async () => {
    sink = await startOtlpSink();
  });
  afterAll(() => sink.close());

  const env = (service: string, extra: Record<string, string> = {}) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_SERVICE_NAME: service,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    ...extra,
  });
  const of = (service: string): SinkRecord[] => sink.records().filter((r) => r.resource['service.name'] === service);
  const summary = (records: SinkRecord[]) => records.map((r) => [r.scope, r.attributes['name'] ?? r.attributes['logger.name'] ?? '', r.severityText, r.body]);

  it('under the register entry (ESM imports hooked): names, keys and levels as the policy sees them', async () => {
    const result = await runNode(['--import', REGISTER, fixture('bridgesApp.ts')], { env: env('bridges-register', { LOG_POLICY_QUIET: '1' }) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(summary(of('bridges-register'))).toEqual([
      // openai is a noisy module (WARN in production): its INFO is dropped, its ERROR kept.
      [PINO, 'openai', 'error', 'pino openai failed'],
      [PINO, '', 'info', 'pino root line'],
      // TX_SLOW is rate-limited by key: the second one inside 5 s is dropped; debug is below INFO.
      [WINSTON, 'twilio', 'info', '[TX_SLOW] winston twilio slow'],
      [WINSTON, 'twilio', 'warn', 'winston twilio warning'],
      [WINSTON, 'billing', 'info', 'winston root line'],
    ]);
    const failed = of('bridges-register').find((r) => r.body === 'pino openai failed')!;
    expect(failed.severityNumber).toBe(17);
    expect(failed.attributes['exception.message']).toBe('rate limited');
  });

  it('with the app’s own NodeSDK: per-logger levels apply to the bridged names', async () => {
    const result = await runNode([fixture('sdkBridgesApp.ts')], { env: env('bridges-sdk', { LOG_POLICY_LEVELS: 'openai=info,billing=warn' }) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(summary(of('bridges-sdk'))).toEqual([
      [PINO, 'openai', 'info', '[TX_SLOW] pino openai slow'],
      [PINO, 'openai', 'error', 'pino openai failed'],
      [PINO, '', 'info', 'pino root line'],
      // The key's rate limit is shared across loggers: pino's TX_SLOW passed first.
      [WINSTON, 'twilio', 'warn', 'winston twilio warning'],
    ]);
  });
});
