import { context, trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, test } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { Redactor } from '../../src/pipeline/redact/Redactor.ts';
import { useGlobally } from '../helpers/pipeline.ts';

/** The package's own chain (policy → sanitizer → redaction → batch) into an in-memory exporter, production mode unless told. */
function pipeline(env: Record<string, string> = {}) {
  const exporter = new InMemoryLogRecordExporter();
  const [policy] = logPolicyProcessors({ config: loadPolicyConfig(env), exporter });
  const provider = new LoggerProvider({ processors: [policy] });
  const records = async () => {
    await provider.forceFlush();
    return exporter.getFinishedLogRecords();
  };
  return { provider, policy, records, logger: provider.getLogger('server.twilio') };
}

afterEach(() => {
  trace.disable();
  context.disable();
});

describe('redaction of the forms voice servers produce, through the real SDK', () => {
  test("Twilio's form encoding in an http.url-like attribute and its X-Twilio-Signature header (string and string[])", async () => {
    const { logger, records } = pipeline();
    logger.emit({
      severityNumber: 9,
      body: 'webhook',
      attributes: {
        'http.url': 'https://voice.example.com/twilio/voice?CallSid=CA2c1d0e3f4a5b6c7d8e9f0a1b2c3d4e5f&From=%2B14155550100&To=%2B14155550199',
        'url.query': 'Caller=%2B447700900123&email=jane%40example.com',
        'http.request.header.x-twilio-signature': ['RSOYDt4T1cUTdK1PDd93/VVr8B8='],
        'x-twilio-signature': '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
      },
    });
    const [record] = await records();
    expect(record!.attributes['http.url']).toBe('https://voice.example.com/twilio/voice?CallSid=CA2c1d0e3f4a5b6c7d8e9f0a1b2c3d4e5f&From=[REDACTED:phone]&To=[REDACTED:phone]');
    expect(record!.attributes['url.query']).toBe('Caller=[REDACTED:phone]&email=[REDACTED:email]');
    expect(record!.attributes['http.request.header.x-twilio-signature']).toEqual(['[REDACTED:secret]']);
    expect(record!.attributes['x-twilio-signature']).toBe('[REDACTED:secret]');
  });

  test('event names are redacted like bodies', async () => {
    const { logger, records } = pipeline();
    logger.emit({ severityNumber: 9, eventName: 'sms.sent.+14155550100', body: 'sent' });
    logger.emit({ severityNumber: 9, eventName: 'CALL_START', body: 'call started', attributes: { 'call.id': 'CA1' } });
    const [first, second] = await records();
    expect(first!.eventName).toBe('sms.sent.[REDACTED:phone]');
    expect(second!.eventName).toBe('CALL_START');
  });

  test('byte-array bodies: UTF-8 text is decoded, redacted and encoded back; ASCII inside binary is found too; clean bytes are left as they are', async () => {
    const { logger, records } = pipeline();
    const form = new TextEncoder().encode('From=%2B14155550100&Body=caf\u00e9 at 10&Email=bob%40example.org');
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x81, ...new TextEncoder().encode('tel:+14155550100'), 0x00, 0xc3]);
    const audio = new Uint8Array(Array.from({ length: 160 }, (_, i) => (i * 37) & 0xff));
    for (const body of [form, binary, audio]) logger.emit({ severityNumber: 9, body });
    logger.emit({ severityNumber: 9, body: { raw: Buffer.from('call me at +14155550100') } as never });
    const [a, b, c, d] = await records();
    expect(new TextDecoder().decode(a!.body as Uint8Array)).toBe('From=[REDACTED:phone]&Body=caf\u00e9 at 10&Email=[REDACTED:email]');
    expect(Buffer.from(b!.body as Uint8Array).toString('latin1')).toBe(`\xff\xfe\x00\x81tel:[REDACTED:phone]\x00\xc3`);
    expect(c!.body).toEqual(audio);
    expect(new TextDecoder().decode((d!.body as { raw: Uint8Array }).raw)).toBe('call me at [REDACTED:phone]');
  });

  test('a lower-case *_key that names no secret keeps its value, but the value is still searched', () => {
    const r = new Redactor();
    expect(r.text('routing_key=calls.inbound cache_key=+14155550100')).toBe('routing_key=calls.inbound cache_key=[REDACTED:phone]');
    expect(r.text('AZURE_SPEECH_KEY=0a1b2c3d4e5f')).toBe('AZURE_SPEECH_KEY=[REDACTED:secret]');
  });
});

describe("the call span's call.id", () => {
  function tracing() {
    const spans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }));
    return spans;
  }

  test('with redaction on, the span carries the same pseudonym as the logs, never the number', async () => {
    const spans = tracing();
    const p = pipeline();
    useGlobally(p.provider);
    const call = startCall('+14155550100');
    call.end();
    const [start] = await p.records();
    const pseudonym = start!.attributes['call.id'];
    expect(pseudonym).toMatch(/^\[REDACTED:phone\]#[0-9a-f]{12}$/);
    const [span] = spans.getFinishedSpans();
    expect(span!.name).toBe('call');
    expect(span!.attributes['call.id']).toBe(pseudonym);
    expect(p.policy.stats().export!.redacted.phone).toBeGreaterThanOrEqual(2);
  });

  test.each([
    ['redaction off (development)', { LOG_POLICY_MODE: 'development' }, '+14155550100'],
    ['an id that is no phone number', {}, 'CA2c1d0e3f4a5b6c7d8e9f0a1b2c3d4e5f'],
  ])('%s: the span keeps the id', async (_, env, id) => {
    const spans = tracing();
    const p = pipeline(env);
    useGlobally(p.provider);
    startCall(id).end();
    expect((await p.records())[0]!.attributes['call.id']).toBe(id);
    expect(spans.getFinishedSpans()[0]!.attributes['call.id']).toBe(id);
  });

  test("the app's own span, active while a record of the call is logged, gets no call.id", async () => {
    const spans = tracing();
    const p = pipeline();
    useGlobally(p.provider);
    const tracer = trace.getTracer('app');
    const call = startCall('+14155550100');
    const own = tracer.startSpan('handler', { attributes: { 'http.route': '/media' } });
    p.logger.emit({ severityNumber: 13, body: 'in the handler', attributes: { 'call.id': '+14155550100' }, context: trace.setSpan(context.active(), own) });
    own.end();
    call.end();
    await p.records();
    const handler = spans.getFinishedSpans().find((s) => s.name === 'handler')!;
    expect(handler.attributes).toEqual({ 'http.route': '/media' });
  });
});
