import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogsSdk } from '../../src/sdk/LogsSdk.ts';
import { fixture, REGISTER, runNode } from '../helpers/child.ts';
import { startOtlpSink, type OtlpSink } from '../helpers/otlpSink.ts';

const LOGS_ONLY = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' };

describe('LogsSdk.needsNodeSdk: what only NodeSDK starts', () => {
  it.each<[Record<string, string>, boolean, string | undefined]>([
    [{}, false, 'traces (OTEL_TRACES_EXPORTER=)'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false, 'metrics (OTEL_METRICS_EXPORTER=)'],
    [LOGS_ONLY, false, undefined],
    // NodeSDK: traces are off only when `none` comes first; metrics whenever `none` is there.
    [{ ...LOGS_ONLY, OTEL_TRACES_EXPORTER: ' none , otlp' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_TRACES_EXPORTER: 'otlp,none' }, false, 'traces (OTEL_TRACES_EXPORTER=otlp,none)'],
    [{ ...LOGS_ONLY, OTEL_TRACES_EXPORTER: 'null,none' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_METRICS_EXPORTER: 'otlp,none' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_METRICS_EXPORTER: 'prometheus' }, false, 'metrics (OTEL_METRICS_EXPORTER=prometheus)'],
    // Someone else's tracing: register starts no traces either way.
    [{ OTEL_METRICS_EXPORTER: 'none' }, true, undefined],
    [{ ...LOGS_ONLY, OTEL_PROPAGATORS: 'tracecontext,baggage' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_PROPAGATORS: 'baggage' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_PROPAGATORS: 'none,b3' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_PROPAGATORS: 'tracecontext,b3' }, false, 'OTEL_PROPAGATORS=tracecontext,b3'],
    [{ ...LOGS_ONLY, OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_NODE_RESOURCE_DETECTORS: 'all' }, false, undefined],
    [{ ...LOGS_ONLY, OTEL_NODE_RESOURCE_DETECTORS: 'env,gcp' }, false, 'OTEL_NODE_RESOURCE_DETECTORS=env,gcp'],
  ])('%j (tracing registered: %s) → %s', (env, tracingRegistered, expected) => {
    expect(LogsSdk.needsNodeSdk(env, tracingRegistered)).toBe(expected);
  });
});

/** Under register, as a user runs it: which start, what it loaded, and the resource its records carry. */
describe('register with logs alone starts LogsSdk: what NodeSDK would, without loading sdk-node', { timeout: 30_000 }, () => {
  let sink: OtlpSink;
  beforeAll(async () => {
    sink = await startOtlpSink();
  });
  afterAll(() => sink.close());

  async function run(service: string, env: Record<string, string>) {
    // With no env detector OTEL_SERVICE_NAME is not read: this run's records are those after `before`.
    const before = sink.records().length;
    const result = await runNode(['--import', fixture('loadedPackages.mjs'), '--import', REGISTER, fixture('registerApp.ts'), 'end'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: service, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test', LOG_POLICY_QUIET: '1', ...env },
    });
    expect(result.code).toBe(0);
    const packages = /^packages: (.*)$/m.exec(result.stderr)?.[1]?.split(' ') ?? [];
    const records = sink.records().slice(before);
    expect(records.map((r) => r.body)).toContain('inside the call');
    return { packages, resource: records[0]!.resource };
  }

  it.each<[{ OTEL_NODE_RESOURCE_DETECTORS?: string }]>([
    [{}],
    [{ OTEL_NODE_RESOURCE_DETECTORS: 'none' }],
    [{ OTEL_NODE_RESOURCE_DETECTORS: 'env,os' }],
    [{ OTEL_NODE_RESOURCE_DETECTORS: 'all' }],
  ])('with %j its records carry the resource NodeSDK gives them', async (detectors) => {
    const tag = Object.values(detectors).join('').replace(/\W/g, '');
    const light = await run(`logs-only-${tag}`, { ...LOGS_ONLY, ...detectors });
    // Traces asked for (sent to the sink, which answers them): NodeSDK starts.
    const full = await run(`node-sdk-${tag}`, { OTEL_METRICS_EXPORTER: 'none', ...detectors });
    expect(light.packages).not.toContain('@opentelemetry/sdk-node');
    expect(light.packages).not.toContain('@grpc/grpc-js');
    expect(light.packages).toContain('@opentelemetry/sdk-logs');
    expect(full.packages).toContain('@opentelemetry/sdk-node');
    const { 'service.name': lightName, ...lightRest } = light.resource;
    const { 'service.name': fullName, ...fullRest } = full.resource;
    expect(Object.keys(lightRest).sort()).toEqual(Object.keys(fullRest).sort());
    if (detectors.OTEL_NODE_RESOURCE_DETECTORS === 'none') expect(lightName).toBe(fullName);
    else expect([lightName, fullName]).toEqual([`logs-only-${tag}`, `node-sdk-${tag}`]);
    if (detectors.OTEL_NODE_RESOURCE_DETECTORS !== 'none') expect(lightRest['deployment.environment.name']).toBe('test');
    if (detectors.OTEL_NODE_RESOURCE_DETECTORS === undefined) expect(lightRest['host.name']).toBe(hostname());
    for (const key of ['host.name', 'os.type', 'process.runtime.name', 'telemetry.sdk.name']) expect(lightRest[key]).toEqual(fullRest[key]);
  });

  it('loads the gRPC exporter only when the protocol asks for it', async () => {
    // No gRPC receiver here: the record is not delivered, only the load is checked.
    const result = await runNode(['--import', fixture('loadedPackages.mjs'), '--import', REGISTER, fixture('registerApp.ts'), 'end'], {
      env: { ...LOGS_ONLY, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TIMEOUT: '500', LOG_POLICY_QUIET: '1' },
    });
    expect(result.code).toBe(0);
    expect(/^packages: (.*)$/m.exec(result.stderr)?.[1]?.split(' ')).toEqual(expect.arrayContaining(['@grpc/grpc-js', '@opentelemetry/exporter-logs-otlp-grpc']));
  });
});
