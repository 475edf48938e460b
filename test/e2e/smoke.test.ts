// End-to-end smoke test of the collector pipeline with the real OpenTelemetry
// JS SDK: records go SDK → OTLP/HTTP → collector → (lifecycle file, VictoriaLogs).
import { randomUUID } from 'node:crypto';
import { SeverityNumber } from '@opentelemetry/api';
import { afterAll, expect, test } from 'vitest';
import { withSdk } from './sdk.ts';
import { callLifecycleQuery, queryVictoriaLogs, readLifecycleFile, startStack, waitForLifecycle, waitForVictoriaLogs, type Stack } from './stack.ts';

// Started inside the test (not in beforeAll) so that a missing binary or a
// failed start is reported as this test's failure, never as a skipped test.
let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
});

test('a lifecycle event reaches the lifecycle file and VictoriaLogs; a plain record only VictoriaLogs', async () => {
  stack = await startStack();
  const { otlpHttpUrl, victoriaLogsUrl, lifecycleFile } = stack;
  const callId = `smoke-${randomUUID()}`;
  const serviceName = 'otel-log-policy-smoke';
  let traceId = '';
  let spanId = '';
  await withSdk(otlpHttpUrl, serviceName, ({ logger, tracer, inSpan }) => {
    const span = tracer.startSpan('call');
    ({ traceId, spanId } = span.spanContext());
    inSpan(span, () => {
      logger.emit({
        eventName: 'CALL_START',
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: 'call started',
        attributes: { 'log.key': 'CALL_START', 'call.id': callId },
      });
      logger.emit({
        severityNumber: SeverityNumber.DEBUG,
        severityText: 'DEBUG',
        body: 'plain debug record',
        attributes: { 'call.id': callId },
      });
      // Another call whose id starts with this one's.
      logger.emit({ eventName: 'CALL_START', body: 'retried call', attributes: { 'log.key': 'CALL_START', 'call.id': `${callId}-retry` } });
    });
    span.end();
  });
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  // The lifecycle file: the CALL_START record, with its call id, trace
  // context and resource; and never the plain record.
  const lifecycle = await waitForLifecycle(lifecycleFile, (rs) => rs.some((r) => r.attributes['call.id'] === callId && r.eventName === 'CALL_START'));
  const start = lifecycle.find((r) => r.attributes['call.id'] === callId && r.eventName === 'CALL_START');
  expect(start).toMatchObject({
    eventName: 'CALL_START',
    body: 'call started',
    severityText: 'INFO',
    traceId,
    spanId,
    attributes: { 'log.key': 'CALL_START', 'call.id': callId },
    resource: { 'service.name': serviceName },
  });

  // Both records in VictoriaLogs, queried over its HTTP API with the exact filter: the retried
  // call's record is not one of them, though the phrase filter `call.id:"…"` matches it too.
  await waitForVictoriaLogs(victoriaLogsUrl, `call.id:"${callId}"`, (es) => es.length >= 3);
  const entries = await queryVictoriaLogs(victoriaLogsUrl, `call.id:="${callId}"`);
  expect(entries).toHaveLength(2);
  expect(entries.map((e) => e['call.id'])).toEqual([callId, callId]);
  // The documented lifecycle query is exact too.
  const lifecycleQueried = await queryVictoriaLogs(victoriaLogsUrl, callLifecycleQuery(callId));
  expect(lifecycleQueried.map((e) => [e['call.id'], e['event_name']])).toEqual([[callId, 'CALL_START']]);
  const vlStart = entries.find((e) => e.event_name === 'CALL_START');
  expect(vlStart).toMatchObject({
    _msg: 'call started',
    'call.id': callId,
    'log.key': 'CALL_START',
    'service.name': serviceName,
    severity_text: 'INFO',
    severity_number: '9',
    trace_id: traceId,
    span_id: spanId,
  });
  const vlPlain = entries.find((e) => e._msg === 'plain debug record');
  expect(vlPlain).toMatchObject({ 'call.id': callId, severity_text: 'DEBUG', severity_number: '5', trace_id: traceId });
  expect(vlPlain?.event_name).toBeUndefined();

  // Each record reached the backend once (no duplicate from the lifecycle branch).
  expect(entries.filter((e) => e.event_name === 'CALL_START')).toHaveLength(1);

  // By now the collector has handled the whole export request, so the plain
  // record would be in the file if the filter let it through.
  expect(readLifecycleFile(lifecycleFile).filter((r) => r.attributes['call.id'] === callId)).toHaveLength(1);
  expect(readLifecycleFile(lifecycleFile).filter((r) => r.attributes['call.id'] === `${callId}-retry`)).toHaveLength(1);

  // The receiver refuses request bodies over its 8 MiB limit.
  const big = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x'.repeat(9 * 1024 * 1024) } }] }] }] });
  const res = await fetch(`${otlpHttpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  const text = await res.text();
  expect([400, 413], text).toContain(res.status);
  expect(text).toMatch(/too large/i);
});
