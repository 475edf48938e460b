import { SeverityNumber as S } from '@opentelemetry/api';
import { expect, test } from 'vitest';
import { getLogger } from '../../src/api/getLogger.ts';
import { pipeline } from '../helpers/pipeline.ts';

test('levels below the policy threshold are no-ops; the others emit through the global provider', () => {
  const p = pipeline({}, { global: true });
  const log = getLogger('server.crm');
  expect(log.debug.name).toBe('noop');
  expect(log.info.name).not.toBe('noop');
  log.debug('not built');
  log.info('info', { n: 1 });
  log.warn('warn');
  log.error('error', undefined, new TypeError('bad'));
  expect(p.records().map((r) => [r.instrumentationScope.name, r.severityText, r.body])).toEqual([
    ['server.crm', 'INFO', 'info'],
    ['server.crm', 'WARN', 'warn'],
    ['server.crm', 'ERROR', 'error'],
  ]);
  expect(p.records()[0]!.attributes['n']).toBe(1);
  expect(p.records()[2]!.attributes['exception.type']).toBe('TypeError');
  expect(p.processor.stats().seen).toBe(3);
});

test('a new policy rebinds existing loggers (development turns debug on)', () => {
  const log = getLogger('server.rebind');
  pipeline({}, { global: true });
  expect(log.isEnabled('debug')).toBe(false);
  const dev = pipeline({ DEBUG: '0' }, { global: true });
  expect(log.isEnabled('debug')).toBe(true);
  expect(log.isEnabled(S.TRACE)).toBe(false);
  log.debug('now built');
  expect(dev.bodies()).toEqual(['now built']);
});

test('noisy modules: INFO stays live (a macro may hide in the body), DEBUG is a no-op', () => {
  const p = pipeline({}, { global: true });
  const log = getLogger('openai.realtime');
  expect(log.isEnabled('debug')).toBe(false);
  expect(log.isEnabled('info')).toBe(true);
  log.info('[REALTIME] connected');
  log.info('chatter');
  expect(p.bodies()).toEqual(['[REALTIME] connected']);
});

test('event() emits a macro event at INFO with its event name and a [NAME] body', () => {
  const p = pipeline({ LOG_POLICY_LEVELS: 'error' }, { global: true });
  getLogger('server.app').event('CREATE_APPT', { 'appt.id': 'A1' }, 'booked 10:30');
  getLogger('server.app').event('BOOT');
  const [appt, boot] = p.records();
  expect(appt).toMatchObject({ eventName: 'CREATE_APPT', severityNumber: S.INFO, body: '[CREATE_APPT] booked 10:30' });
  expect(appt!.attributes['appt.id']).toBe('A1');
  expect(boot!.body).toBe('[BOOT]');
});

test('isEnabled rejects unknown level names; facades of one name are independent and agree', () => {
  const p = pipeline({}, { global: true });
  expect(getLogger('a').isEnabled('loud')).toBe(false);
  const [one, two] = [getLogger('a'), getLogger('a')];
  one.info('one');
  two.info('two');
  expect(p.bodies()).toEqual(['one', 'two']);
});
