// Each OTLP protocol NodeSDK offers, chosen by the standard variables under
// `--import otel-log-policy/register`, into the real collector and on to VictoriaLogs:
// grpc to the collector's gRPC receiver only, http/protobuf and http/json to its HTTP one.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startStack, waitForVictoriaLogs, type Stack } from './stack.ts';

// Started inside the first test so that a missing binary is that test's failure, never a skip.
let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
});

const EXPECTED = ['[CALL_END] call call-register-1 ended', '[CALL_START] call call-register-1 started', '[TX_SLOW] queue=3 from the facade', 'inside the call'];

test.each([
  ['grpc', (s: Stack) => `http://${s.otlpGrpcEndpoint}`],
  ['http/protobuf', (s: Stack) => s.otlpHttpUrl],
  ['http/json', (s: Stack) => s.otlpHttpUrl],
] as const)("OTEL_EXPORTER_OTLP_PROTOCOL=%s: the policy's records reach VictoriaLogs through the collector", { timeout: 90_000 }, async (protocol, endpointOf) => {
  stack ??= await startStack();
  const service = `exporters-${protocol.replace('/', '-')}-${randomUUID()}`;
  const result = await runNode(['--import', REGISTER, fixture('registerApp.ts'), 'end'], {
    env: {
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      // One receiver only: a wrong protocol would not get through it.
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: protocol === 'grpc' ? endpointOf(stack) : `${endpointOf(stack)}/v1/logs`,
      OTEL_SERVICE_NAME: service,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
    },
  });
  expect(result.code, result.stderr).toBe(0);
  // Nothing on stderr but register's start-up line, which names the protocol it chose.
  expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`records to OTLP ${protocol} `)]);
  const entries = await waitForVictoriaLogs(stack.victoriaLogsUrl, `service.name:=${JSON.stringify(service)}`, (es) => es.length >= EXPECTED.length);
  expect(entries.map((e) => e['_msg']).sort()).toEqual(EXPECTED);
  expect(entries.every((e) => e['call.id'] === undefined || e['call.id'] === 'call-register-1')).toBe(true);
});
