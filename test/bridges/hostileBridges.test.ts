import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink } from '../helpers/otlpSink.ts';

/**
 * Issue 15, items 1 and 3, for the pino and winston bridges: the SDK builds the record from the
 * bridge's attributes before any processor runs, so the loggers register gives the bridges make
 * the values safe first (guardBridgeLoggers). Compared with the same app run without the package:
 * what the libraries throw themselves (winston reads the getter while merging) is theirs.
 */
let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink();
});
afterAll(() => sink.close());

const CASES = 'deep,proto,getter,revoked';
const threwIn = (stdout: string): Record<string, string> => JSON.parse(stdout.trim().split('\n').at(-1)!).threw;

test('a 3,000-deep payload, a parsed __proto__, a throwing getter and a revoked Proxy through pino and winston: no throw of ours, no line lost, the policy not steered', {
  timeout: 30_000,
}, async () => {
  const alone = await runNode([fixture('hostileBridgesApp.ts'), CASES]);
  const registered = await runNode(['--import', REGISTER, fixture('hostileBridgesApp.ts'), CASES], {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_SERVICE_NAME: 'hostile-bridges',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      LOG_POLICY_MODE: 'development',
      LOG_POLICY_QUIET: '1',
    },
  });
  expect(registered).toMatchObject({ code: 0, stderr: '' });
  expect(threwIn(registered.stdout)).toEqual(threwIn(alone.stdout));
  const records = sink.records().filter((r) => r.resource['service.name'] === 'hostile-bridges');
  const bodies = records.map((r) => r.body);
  // Before the guard, pino's deep line threw into the app and left its stream stuck: every later pino line was lost.
  for (const body of ['pino deep', 'pino proto', 'pino getter', 'pino revoked', 'pino after', 'winston deep', 'winston proto', 'winston after']) expect(bodies).toContain(body);
  const deep = records.find((r) => r.body === 'pino deep')!;
  expect(JSON.stringify(deep.attributes['payload'])).toContain('[too deep]');
  expect(deep.attributes['log.sanitized_count']).toBe(1);
  // The forged key and call id are not read: no CALL_END, no call.id on any record.
  expect(records.filter((r) => r.attributes['log.key'] === 'CALL_END' || r.attributes['call.id'] !== undefined)).toEqual([]);
});
