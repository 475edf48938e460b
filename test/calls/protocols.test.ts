import { describe, expect, test } from 'vitest';
import { EXOTEL, TELNYX, TWILIO } from '../../src/calls/protocols.ts';
import { pathMatcher } from '../../src/calls/pathGlob.ts';
import { loadCallsConfig } from '../../src/config/callsConfig.ts';
import { LogPolicyConfigError } from '../../src/config/errors.ts';

// The start messages as each provider documents them (fields trimmed to those read here).
const twilio = { event: 'start', sequenceNumber: '1', start: { accountSid: 'AC1', streamSid: 'MZ1', callSid: 'CA1', tracks: ['inbound'] }, streamSid: 'MZ1' };
const telnyx = { event: 'start', sequence_number: '1', stream_id: '32DE0DEA', start: { user_id: 'u1', call_control_id: 'v3:abc', call_session_id: 's1' } };
const exotel = { event: 'start', sequence_number: '1', stream_sid: 'MZe', start: { stream_sid: 'MZe', call_sid: 'CAe', account_sid: 'ACe' } };

describe('built-in protocol adapters', () => {
  test('each reads its own start message, and no other', () => {
    expect(TWILIO.callIdFrom(twilio)).toEqual({ id: 'CA1', attributes: { 'call.stream_id': 'MZ1' } });
    expect(TELNYX.callIdFrom(telnyx)).toEqual({ id: 'v3:abc', attributes: { 'call.stream_id': '32DE0DEA' } });
    expect(EXOTEL.callIdFrom(exotel)).toEqual({ id: 'CAe', attributes: { 'call.stream_id': 'MZe' } });
    expect(TELNYX.callIdFrom(twilio)).toBeUndefined();
    expect(EXOTEL.callIdFrom(twilio)).toBeUndefined();
    for (const adapter of [TWILIO, TELNYX, EXOTEL]) {
      for (const other of [{ event: 'connected' }, { event: 'media', media: {} }, null, 'start', 42, [twilio]]) expect(adapter.callIdFrom(other)).toBeUndefined();
    }
  });

  test('a Twilio start without a callSid still counts as the start (its id then unusable)', () => {
    expect(TWILIO.callIdFrom({ event: 'start', start: { streamSid: 'MZ1' } })).toEqual({ id: undefined, attributes: { 'call.stream_id': 'MZ1' } });
    expect(TWILIO.callIdFrom({ event: 'start' })).toEqual({ id: undefined, attributes: { 'call.stream_id': undefined } });
  });
});

describe('LOG_POLICY_CALL_PATHS and LOG_POLICY_AUTO_CALLS', () => {
  test('defaults: on, every path', () => {
    expect(loadCallsConfig({})).toEqual({ autoCalls: true, callPaths: [] });
    expect(loadCallsConfig({ LOG_POLICY_AUTO_CALLS: 'off', LOG_POLICY_CALL_PATHS: ' /media , /streams/** ' })).toEqual({ autoCalls: false, callPaths: ['/media', '/streams/**'] });
  });

  test('a bad value names the variable, the value and what is accepted', () => {
    expect(() => loadCallsConfig({ LOG_POLICY_AUTO_CALLS: 'maybe' })).toThrow(new LogPolicyConfigError('LOG_POLICY_AUTO_CALLS', 'maybe', 'accepted: on, off, 1, 0, true, false'));
    expect(() => loadCallsConfig({ LOG_POLICY_CALL_PATHS: '/ok,media' })).toThrow('LOG_POLICY_CALL_PATHS="/ok,media" is not valid: "media" is not a path');
    expect(() => loadCallsConfig({ LOG_POLICY_CALL_PATHS: '/a b' })).toThrow(LogPolicyConfigError);
  });

  test('globs: * within a segment, ** across, the rest literal', () => {
    const matches = pathMatcher(['/media', '/twilio/*/stream', '/agents/**', '/v1.0']);
    expect(['/media', '/twilio/abc/stream', '/agents/a/b/c', '/v1.0'].every(matches)).toBe(true);
    expect(['/media/x', '/twilio/a/b/stream', '/agentsx', '/v1x0', '/'].some(matches)).toBe(false);
    expect(pathMatcher([])('/anything')).toBe(true);
  });
});
