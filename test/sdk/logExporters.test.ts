import { SeverityNumber } from '@opentelemetry/api';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { ConsoleLogRecordExporter, InMemoryLogRecordExporter, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logExportersSetting } from '../../src/config/otelEnv.ts';
import { LazyExporter } from '../../src/pipeline/export/LazyExporter.ts';
import { logExportersFromEnv, type logPolicyProcessors, policyProcessorsFromEnv } from '../../src/sdk/logExporters.ts';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink } from '../helpers/otlpSink.ts';

type Kind = 'grpc' | 'http/protobuf' | 'http/json' | 'console';

/** The three SDK exporters share a class name: tell them apart by class. */
function kindOf(exporter: LogRecordExporter): Kind {
  if (exporter instanceof GrpcLogExporter) return 'grpc';
  if (exporter instanceof ProtobufLogExporter) return 'http/protobuf';
  if (exporter instanceof JsonLogExporter) return 'http/json';
  if (exporter instanceof ConsoleLogRecordExporter) return 'console';
  throw new Error(`unexpected exporter ${exporter.constructor.name}`);
}

const ENV_CASES: Array<Record<string, string>> = [
  {},
  { OTEL_LOGS_EXPORTER: 'otlp' },
  { OTEL_LOGS_EXPORTER: 'console' },
  { OTEL_LOGS_EXPORTER: 'none' },
  { OTEL_LOGS_EXPORTER: 'otlp,console' },
  { OTEL_LOGS_EXPORTER: ' console , otlp ,otlp' },
  { OTEL_LOGS_EXPORTER: 'otlp,none' },
  { OTEL_LOGS_EXPORTER: 'bogus' },
  { OTEL_LOGS_EXPORTER: 'OTLP' },
  { OTEL_LOGS_EXPORTER: 'console,bogus' },
  { OTEL_LOGS_EXPORTER: '   ' },
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' },
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: ' ' },
  { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: ' http/json ' },
  { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http' },
  { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc', OTEL_LOGS_EXPORTER: 'console,otlp' },
];

const STANDARD = ['OTEL_LOGS_EXPORTER', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'];

describe('the log exporters chosen by the standard variables', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each(ENV_CASES)('are the ones NodeSDK itself creates for %j', async (env) => {
    for (const name of STANDARD) vi.stubEnv(name, env[name] ?? '');
    // NodeSDK's own choice (its private configureLoggerProviderFromEnv, called without start(): nothing global is registered).
    const sdk = new NodeSDK({}) as unknown as {
      configureLoggerProviderFromEnv(): void;
      _loggerProviderConfig?: { logRecordProcessors: Array<{ _exporter: LogRecordExporter }> };
    };
    sdk.configureLoggerProviderFromEnv();
    const theirs = (sdk._loggerProviderConfig?.logRecordProcessors ?? []).map((p) => kindOf(p._exporter));
    const ours = logExportersFromEnv(env);
    // The gRPC exporter is imported once chosen: a LazyExporter, its `ready` that exporter.
    const loaded = await Promise.all([...(ours.exporter === undefined ? [] : [ours.exporter]), ...ours.immediate].map((e) => (e instanceof LazyExporter ? e.ready : e)));
    expect(loaded.map(kindOf).sort()).toEqual(theirs.sort());
  });

  it('default to otlp over http/protobuf, with no warning', () => {
    expect(logExportersSetting({})).toEqual({ exporters: ['otlp'], protocol: 'http/protobuf', protocolSource: 'default', warnings: [] });
  });

  it('take the logs protocol over the general one, and say which variable decided', () => {
    expect(logExportersSetting({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' })).toMatchObject({
      protocol: 'grpc',
      protocolSource: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
    });
    expect(logExportersSetting({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toMatchObject({ protocol: 'http/json', protocolSource: 'OTEL_EXPORTER_OTLP_PROTOCOL' });
  });

  it('warn once about an unknown exporter name, naming the variable, what is accepted and the fallback', () => {
    expect(logExportersSetting({ OTEL_LOGS_EXPORTER: 'otlp,bogus' })).toEqual({
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      protocolSource: 'default',
      warnings: ['OTEL_LOGS_EXPORTER="otlp,bogus": "bogus" not accepted (accepted: otlp, console, none, or a comma list of them); ignored as NodeSDK does, so using otlp'],
    });
    const { warnings } = logExportersSetting({ OTEL_LOGS_EXPORTER: 'Console,zipkin' });
    expect(warnings).toEqual([
      'OTEL_LOGS_EXPORTER="Console,zipkin": "Console", "zipkin" not accepted (accepted: otlp, console, none, or a comma list of them); ignored as NodeSDK does, so no exporter is set up (the policy still runs and counts)',
    ]);
  });

  it('warn once about an unknown protocol and fall back to http/protobuf, as NodeSDK does', () => {
    expect(logExportersSetting({ OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http' })).toEqual({
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      protocolSource: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
      warnings: ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL="http" is not accepted (accepted: grpc, http/protobuf, http/json); using http/protobuf as NodeSDK does'],
    });
    // Without otlp, NodeSDK does not read the protocol: no warning either.
    expect(logExportersSetting({ OTEL_LOGS_EXPORTER: 'console', OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }).warnings).toEqual([]);
  });
});

describe('logPolicyProcessors() with the chosen exporters', () => {
  afterEach(() => vi.unstubAllEnvs());
  const config = loadPolicyConfig({ LOG_POLICY_MODE: 'production' });

  /** Emits one record that passes and an error twice: the repeat is the policy's to drop. */
  async function emitThrough(processors: ReturnType<typeof logPolicyProcessors>): Promise<void> {
    const provider = new LoggerProvider({ processors });
    const logger = provider.getLogger('app');
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: '[DSP] on' });
    for (let i = 0; i < 2; i++) logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: '[SERVER_ERROR] upstream closed' });
    await provider.shutdown();
  }

  it('none: nothing is exported, and the policy still counts', async () => {
    const processors = policyProcessorsFromEnv({ config }, { OTEL_LOGS_EXPORTER: 'none' }, () => {
      throw new Error('no warning expected');
    });
    await emitThrough(processors);
    const stats = processors[0].stats();
    expect(stats.seen).toBe(3);
    expect(stats.forwarded).toBe(2);
    expect(stats.droppedByReason.repeat).toBe(1);
    expect(stats.export?.exported).toBe(0);
  });

  it('an explicit exporter wins over OTEL_LOGS_EXPORTER, and no warning is given for variables it makes moot', async () => {
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'bogus');
    const exporter = new InMemoryLogRecordExporter();
    const warn = vi.fn();
    const processors = policyProcessorsFromEnv({ config, exporter }, process.env, warn);
    const provider = new LoggerProvider({ processors });
    provider.getLogger('app').emit({ severityNumber: SeverityNumber.INFO, body: '[DSP] on' });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['[DSP] on']);
    await provider.shutdown();
    expect(warn).not.toHaveBeenCalled();
  });

  it('a warning goes to the sink given, once per logPolicyProcessors() call', () => {
    const warn = vi.fn();
    policyProcessorsFromEnv({ config }, { OTEL_LOGS_EXPORTER: 'console,bogus', OTEL_EXPORTER_OTLP_PROTOCOL: 'bogus' }, warn);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/^OTEL_LOGS_EXPORTER="console,bogus": "bogus" not accepted/);
  });
});

describe('under node --import otel-log-policy/register', { timeout: 30_000 }, () => {
  let sink: OtlpSink;
  beforeAll(async () => {
    sink = await startOtlpSink();
  });
  afterAll(() => sink.close());

  const run = (service: string, env: Record<string, string>) =>
    runNode(['--import', REGISTER, fixture('registerApp.ts'), 'end'], {
      // QUIET: no start-up line, so stderr holds only what these tests are about.
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: service, OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none', LOG_POLICY_QUIET: '1', ...env },
    });
  const requestsOf = (service: string) => sink.records().filter((r) => r.resource['service.name'] === service);
  /** The sink's `/v1/logs` requests after the first `before`. */
  const logRequestsSince = (before: number) =>
    sink
      .requests()
      .slice(before)
      .filter((r) => r.path === '/v1/logs');

  it('OTEL_LOGS_EXPORTER=console prints the records the policy passes and sends nothing', async () => {
    const before = sink.requests().length;
    const result = await run('exporters-console', { OTEL_LOGS_EXPORTER: 'console' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    // ConsoleLogRecordExporter's console.dir of each record: body and the call id are there.
    expect(result.stdout).toContain("body: '[CALL_START] call call-register-1 started'");
    expect(result.stdout).toContain("'call.id': 'call-register-1'");
    expect(logRequestsSince(before)).toEqual([]);
  });

  it('OTEL_LOGS_EXPORTER=none exports nothing', async () => {
    const before = sink.requests().length;
    const result = await run('exporters-none', { OTEL_LOGS_EXPORTER: 'none' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('CALL_START');
    expect(logRequestsSince(before)).toEqual([]);
  });

  it('OTEL_LOGS_EXPORTER=otlp,console does both, the policy once', async () => {
    const result = await run('exporters-both', { OTEL_LOGS_EXPORTER: 'otlp,console', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' });
    expect(result.code, result.stderr).toBe(0);
    const sent = requestsOf('exporters-both')
      .map((r) => String(r.body))
      .sort();
    const printed = [...result.stdout.matchAll(/body: '([^']*)'/g)].map((m) => m[1]!).sort();
    expect(sent.length).toBeGreaterThan(0);
    expect(printed).toEqual(sent);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it.each([
    ['http/json', 'application/json'],
    ['http/protobuf', 'application/x-protobuf'],
  ])('OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=%s sends %s', async (protocol, contentType) => {
    const service = `exporters-${protocol.replace('/', '-')}`;
    const before = sink.requests().length;
    const result = await run(service, { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(result.code, result.stderr).toBe(0);
    expect(requestsOf(service).map((r) => r.body)).toContain('[CALL_END] call call-register-1 ended');
    const logRequests = logRequestsSince(before);
    expect(logRequests.map((r) => r.contentType)).toContain(contentType);
    expect(logRequests.every((r) => r.contentType === contentType)).toBe(true);
  });

  it('the chosen exporter reads its own headers and compression variables, as in NodeSDK', async () => {
    const before = sink.requests().length;
    const result = await run('exporters-headers', { OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-tenant=voice,x-region=eu', OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip' });
    expect(result.code, result.stderr).toBe(0);
    expect(requestsOf('exporters-headers').map((r) => r.body)).toContain('[CALL_END] call call-register-1 ended');
    const logRequests = logRequestsSince(before);
    expect(logRequests.length).toBeGreaterThan(0);
    for (const request of logRequests) {
      expect(request.headers).toMatchObject({ 'x-tenant': 'voice', 'x-region': 'eu', 'content-encoding': 'gzip', 'content-type': 'application/x-protobuf' });
    }
  });

  it('an unknown value is one line on stderr naming the variable, what is accepted and the fallback', async () => {
    const result = await run('exporters-unknown', { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/xml', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'otel-log-policy: OTEL_EXPORTER_OTLP_LOGS_PROTOCOL="http/xml" is not accepted (accepted: grpc, http/protobuf, http/json); using http/protobuf as NodeSDK does\n',
    );
    // The fallback is really http/protobuf (not the general variable's http/json), as in NodeSDK.
    expect(requestsOf('exporters-unknown').length).toBeGreaterThan(0);
  });
});
