import { describe, expect, test } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { describeDestination, startupLine, type StartupFacts } from '../../src/sdk/startupLine.ts';

const facts = (over: Partial<StartupFacts> = {}): StartupFacts => ({
  policy: loadPolicyConfig({}),
  destination: describeDestination({}),
  console: { captured: false, echo: 'errors' },
  ...over,
});

describe('startupLine: what register says at start-up', () => {
  test('the defaults: mode and why, where records go, console capture off', () => {
    expect(startupLine(facts())).toBe(
      'production mode (default: neither LOG_POLICY_MODE nor DEBUG is set); records to OTLP http/protobuf http://localhost:4318/v1/logs (the default: no OTEL_EXPORTER_OTLP_ENDPOINT); console not captured (LOG_POLICY_CAPTURE_CONSOLE=1 captures it); LOG_POLICY_QUIET=1 hides this line',
    );
  });

  test('the mode says which variable decided it', () => {
    expect(startupLine(facts({ policy: loadPolicyConfig({ DEBUG: '0' }) }))).toMatch(/^development mode \(set by DEBUG=0\); /);
    expect(startupLine(facts({ policy: loadPolicyConfig({ LOG_POLICY_MODE: 'production', DEBUG: '0' }) }))).toMatch(/^production mode \(set by LOG_POLICY_MODE=production\); /);
  });

  test('the endpoint, from the logs-specific variable first', () => {
    expect(describeDestination({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('OTLP http/protobuf http://collector:4318/v1/logs (OTEL_EXPORTER_OTLP_ENDPOINT)');
    expect(describeDestination({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://b:9/logs' })).toBe(
      'OTLP http/protobuf http://b:9/logs (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)',
    );
  });

  test.each([
    ['errors', 'console captured, console.warn/error still printed (LOG_POLICY_CONSOLE_ECHO=errors)'],
    ['all', 'console captured, every console call still printed (LOG_POLICY_CONSOLE_ECHO=all)'],
    ['none', 'console captured, nothing printed (LOG_POLICY_CONSOLE_ECHO=none)'],
  ] as const)('console captured, echo %s', (echo, clause) => {
    expect(startupLine(facts({ console: { captured: true, echo } }))).toContain(`; ${clause}; `);
  });

  test('automatic calls: on every websocket upgrade, on some paths, or off; left out until given', () => {
    expect(startupLine(facts())).not.toContain('calls');
    expect(startupLine(facts({ calls: { enabled: true, paths: [] } }))).toContain('; calls auto-scoped on every websocket upgrade; LOG_POLICY_QUIET=1');
    expect(startupLine(facts({ calls: { enabled: true, paths: ['/media-stream', '/twilio/*'] } }))).toContain(
      '; calls auto-scoped on /media-stream, /twilio/* (LOG_POLICY_CALL_PATHS); ',
    );
    expect(startupLine(facts({ calls: { enabled: false, paths: ['/media'] } }))).toContain('; calls not auto-scoped (LOG_POLICY_AUTO_CALLS=0); ');
  });

  test('is one line', () => {
    expect(startupLine(facts({ console: { captured: true, echo: 'all' }, calls: { enabled: true, paths: ['/a'] } }))).not.toMatch(/\n/);
  });
});

test('the destination follows OTEL_LOGS_EXPORTER and the OTLP protocol', () => {
  expect(describeDestination({ OTEL_LOGS_EXPORTER: 'none' })).toBe('nowhere (OTEL_LOGS_EXPORTER=none; the policy still counts)');
  expect(describeDestination({ OTEL_LOGS_EXPORTER: 'console' })).toBe('the console (OTEL_LOGS_EXPORTER=console)');
  expect(describeDestination({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' })).toBe(
    'OTLP grpc http://collector:4317 (OTEL_EXPORTER_OTLP_ENDPOINT)',
  );
  expect(describeDestination({ OTEL_LOGS_EXPORTER: 'otlp,console' })).toMatch(/^OTLP http\/protobuf .* and the console/);
});
