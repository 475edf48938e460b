import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { startOtlpSink, type OtlpSink, type SinkRecord } from '../helpers/otlpSink.ts';

/**
 * The first way in: a service that already starts a NodeSDK adds one option. One SDK per file:
 * the OpenTelemetry globals (and loggers taken from them) are process-wide.
 */
describe('logPolicyProcessors() inside a real NodeSDK with tracing', () => {
  let sink: OtlpSink;
  let sdk: NodeSDK;
  const spans = new InMemorySpanExporter();
  let inSpan: { traceId: string; spanId: string };
  let callTraceId: string;
  let before: SinkRecord[];
  let records: SinkRecord[];

  beforeAll(async () => {
    sink = await startOtlpSink();
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', sink.url);
    vi.stubEnv('OTEL_SERVICE_NAME', 'voice-agent-under-test');
    // An hour: nothing may leave before shutdown flushes (the default is one second).
    vi.stubEnv('OTEL_BLRP_SCHEDULE_DELAY', '3600000');
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    vi.stubEnv('LOG_POLICY_MODE', 'production');
    sdk = new NodeSDK({ logRecordProcessors: logPolicyProcessors(), traceExporter: spans });
    sdk.start();

    const log = getLogger('agent');
    trace.getTracer('test').startActiveSpan('turn', (span) => {
      inSpan = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      log.info('[TX_SLOW] queue=12 inside a span');
      log.debug('a debug line production drops');
      span.end();
    });
    const call = startCall('call-sdk-1');
    call.run(() => {
      callTraceId = trace.getActiveSpan()!.spanContext().traceId;
      log.warn('inside the call');
    });
    call.end();

    // Were OTEL_BLRP_SCHEDULE_DELAY ignored, the default one-second delay would have exported by now.
    await sleep(1_500);
    before = sink.records();
    await sdk.shutdown();
    records = sink.records();
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await sink.close();
  });

  it("sends records to OTEL_EXPORTER_OTLP_ENDPOINT in http/protobuf (NodeSDK's default) with OTEL_SERVICE_NAME in the resource", () => {
    const logRequests = sink.requests().filter((r) => r.path === '/v1/logs');
    expect(logRequests.length).toBeGreaterThan(0);
    expect(logRequests.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.resource['service.name']).toBe('voice-agent-under-test');
  });

  it('honours OTEL_BLRP_SCHEDULE_DELAY: nothing exported before shutdown flushed the batch', () => {
    expect(before).toEqual([]);
  });

  it('stamps the active span ids on records emitted inside it', () => {
    const slow = records.find((r) => r.body === '[TX_SLOW] queue=12 inside a span');
    expect(slow).toMatchObject({ scope: 'agent', severityText: 'INFO', traceId: inSpan.traceId, spanId: inSpan.spanId });
  });

  it('applies the policy: the debug line is dropped', () => {
    expect(records.map((r) => r.body)).not.toContain('a debug line production drops');
  });

  it('puts a call on its own trace: CALL_START, its records and CALL_END share the call span', () => {
    const ofCall = records.filter((r) => r.attributes['call.id'] === 'call-sdk-1');
    // OTLP groups records by scope, so arrival order across loggers is not emission order.
    expect(ofCall.map((r) => r.attributes['log.key'] ?? r.body).sort()).toEqual(['CALL_END', 'CALL_START', 'inside the call']);
    for (const r of ofCall) expect(r.traceId).toBe(callTraceId);
    expect(ofCall.find((r) => r.attributes['log.key'] === 'CALL_END')!.attributes['log.produced_count']).toBe(3);
  });
});
