import { SeverityNumber as S } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { pipeline } from '../helpers/pipeline.ts';

const DEBUG = { severityNumber: S.DEBUG, severityText: 'DEBUG' };
const INFO = { severityNumber: S.INFO, severityText: 'INFO' };
const WARN = { severityNumber: S.WARN, severityText: 'WARN' };
const ERROR = { severityNumber: S.ERROR, severityText: 'ERROR' };

describe('threshold (rule 4)', () => {
  test('production: base INFO, noisy modules WARN', () => {
    const p = pipeline({});
    p.logger('crm').emit({ ...DEBUG, body: 'crm debug' });
    p.logger('crm').emit({ ...INFO, body: 'crm info' });
    p.logger('openai.realtime').emit({ ...INFO, body: 'openai info' });
    p.logger('openai.realtime').emit({ ...WARN, body: 'openai warn' });
    p.logger('openai_tools').emit({ ...INFO, body: 'openai_tools info' });
    expect(p.bodies()).toEqual(['crm info', 'openai warn', 'openai_tools info']);
    expect(p.processor.stats().droppedByReason.threshold).toBe(1);
  });

  test('development: base DEBUG, noisy modules INFO', () => {
    const p = pipeline({ DEBUG: '0' });
    p.logger('crm').emit({ ...DEBUG, body: 'crm debug' });
    p.logger('websockets').emit({ ...DEBUG, body: 'ws debug' });
    p.logger('websockets').emit({ ...INFO, body: 'ws info' });
    expect(p.bodies()).toEqual(['crm debug', 'ws info']);
  });

  test('WARN and above are never dropped by threshold', () => {
    const p = pipeline({ LOG_POLICY_LEVELS: 'fatal' });
    p.logger('x').emit({ ...WARN, body: 'w' });
    p.logger('x').emit({ ...ERROR, body: 'e' });
    expect(p.bodies()).toEqual(['w', 'e']);
  });

  test('records with no severity count as INFO', () => {
    const prod = pipeline({});
    prod.logger('x').emit({ body: 'plain' });
    prod.logger('openai').emit({ body: 'noisy plain' });
    expect(prod.bodies()).toEqual(['plain']);
  });

  test('per-logger directives: the most specific wins', () => {
    const p = pipeline({ LOG_POLICY_LEVELS: 'openai=error,openai.realtime=debug' });
    p.logger('openai.realtime.ws').emit({ ...DEBUG, body: 'deep debug' });
    p.logger('openai.files').emit({ ...WARN, body: 'files warn' });
    p.logger('openai.files').emit({ ...INFO, body: 'files info' });
    expect(p.bodies()).toEqual(['deep debug', 'files warn']);
  });

  test('macro events pass the threshold of a noisy module (down to INFO)', () => {
    const p = pipeline({});
    p.logger('openai').emit({ ...INFO, body: '[REALTIME] connected' });
    p.logger('openai').emit({ ...INFO, body: '[AUDIO_DELTA] 320 bytes' });
    p.logger('openai').emit({ ...INFO, eventName: 'CREATE_APPT', body: 'booked' });
    expect(p.bodies()).toEqual(['[REALTIME] connected', 'booked']);
    const appt = p.records()[1]!;
    expect(appt.attributes['log.key']).toBe('CREATE_APPT');
  });

  test('DEBUG_TX=1 lets TX_ keys through at DEBUG in production', () => {
    for (const [debugTx, expected] of [
      ['0', []],
      ['1', ['[TX_QUEUE] depth=3']],
    ] as const) {
      const p = pipeline({ DEBUG_TX: debugTx });
      p.logger('server.media_ws_ai').emit({ ...DEBUG, body: '[TX_QUEUE] depth=3' });
      p.logger('server.media_ws_ai').emit({ ...DEBUG, body: '[RX_QUEUE] depth=3' });
      expect(p.bodies()).toEqual(expected);
    }
  });

  test('pino/winston bridges: the logger name comes from the `name`, then `logger.name` attribute', () => {
    const p = pipeline({});
    const pino = p.logger('@opentelemetry/instrumentation-pino');
    pino.emit({ ...INFO, body: 'from openai child', attributes: { name: 'openai' } });
    pino.emit({ ...INFO, body: 'from app', attributes: { name: 'app' } });
    p.logger('@opentelemetry/winston-transport').emit({ ...INFO, body: 'winston ws', attributes: { 'logger.name': 'ws' } });
    p.logger('@opentelemetry/winston-transport').emit({ ...WARN, body: 'winston ws warn', attributes: { 'logger.name': 'ws' } });
    expect(p.bodies()).toEqual(['from app', 'winston ws warn']);
  });

  test('a non-bridge scope ignores the name attribute', () => {
    const p = pipeline({});
    p.logger('crm').emit({ ...INFO, body: 'x', attributes: { name: 'openai' } });
    expect(p.bodies()).toEqual(['x']);
  });
});

describe('keys (rule 2)', () => {
  test('log.key attribute, then event name, then body tag', () => {
    const p = pipeline({ LOG_POLICY_ONCE: 'K' });
    p.logger('x').emit({ ...INFO, body: '[K] via tag' });
    p.logger('x').emit({ ...INFO, body: 'via attr', attributes: { 'log.key': 'K' } });
    p.logger('x').emit({ ...INFO, body: 'via event', eventName: 'K' });
    p.logger('x').emit({ ...INFO, body: '[NOTK] attr wins', attributes: { 'log.key': 'K' } });
    expect(p.bodies()).toEqual(['[K] via tag']);
    expect(p.processor.stats().droppedByKey).toEqual({ K: 3 });
  });

  test('odd bodies have no tag and do not break the processor', () => {
    const p = pipeline({});
    const odd = [undefined, 42, { a: 1 }, new Uint8Array([91, 75, 93]), '[', '[]', '[no spaces allowed] x', `[${'A'.repeat(100)}] long`, ['[K]']];
    for (const body of odd) p.logger('x').emit({ ...INFO, body: body as never });
    expect(p.records()).toHaveLength(odd.length);
    expect(p.processor.stats().internalErrors).toBe(0);
  });
});
