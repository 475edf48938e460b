import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { internedCopy, ownCopy } from '../../src/config/boundedStrings.ts';
import { CompiledPolicy } from '../../src/policy/CompiledPolicy.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { ATTR, BRIDGE_SCOPES, ownAttribute, ownCallId, ownLogKey } from '../../src/policy/attributes.ts';
import { bodyTag, isTag, keyOf, loggerNameOf, startsWithTag } from '../../src/policy/facts.ts';

describe('record facts on the hot path', () => {
  test('startsWithTag agrees with bodyTag for any body and any valid tag', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9_.:-]{1,70}$/), (body, tag) => {
        if (!isTag(tag)) return;
        expect(startsWithTag(body, tag)).toBe(bodyTag(body) === tag);
        expect(startsWithTag(`[${tag}] x`, tag)).toBe(bodyTag(`[${tag}] x`) === tag);
      }),
    );
  });

  test('isTag: 1–64 tag characters only', () => {
    expect(isTag('TX_SLOW')).toBe(true);
    expect(isTag('a b')).toBe(false);
    expect(isTag('')).toBe(false);
    expect(isTag('K'.repeat(64))).toBe(true);
    expect(isTag('K'.repeat(65))).toBe(false);
  });

  test('rulesOfRecord takes the last key from a body only when keyOf would', () => {
    const policy = new CompiledPolicy(loadPolicyConfig({}));
    const cases: Array<[Record<string, string>, string | undefined, string]> = [
      [{}, undefined, '[RMS] rms=1'],
      [{}, undefined, '[RMS] rms=2'],
      [{ [ATTR.key]: 'DSP' }, undefined, '[RMS] rms=3'],
      [{}, 'REALTIME', '[RMS] rms=4'],
      [{}, undefined, '[RMSX] rms=5'],
      [{ [ATTR.key]: 'a b' }, undefined, '[a b] x'],
      [{}, undefined, '[a b] x'],
      [{}, undefined, '[RMS]'],
      [{}, undefined, '[RMS'],
    ];
    for (const [attributes, eventName, body] of cases) expect(policy.rulesOfRecord(attributes, eventName, body).key).toBe(keyOf(attributes, eventName, body));
  });

  test('ownAttribute never answers from the prototype', () => {
    const attributes: Record<string, string> = Object.create({ [ATTR.key]: 'CALL_END' });
    expect(attributes[ATTR.key]).toBe('CALL_END');
    expect(ownAttribute(attributes, ATTR.key)).toBeUndefined();
    expect(ownLogKey(attributes)).toBeUndefined();
    expect(ownCallId(Object.create({ [ATTR.callId]: 'forged' }))).toBeUndefined();
    expect(ownAttribute({ [ATTR.key]: 'RMS' }, ATTR.key)).toBe('RMS');
    expect(ownLogKey({ [ATTR.key]: 'RMS' })).toBe('RMS');
    expect(ownCallId({ [ATTR.callId]: 'CA1' })).toBe('CA1');
  });

  test('bridge scopes start with "@", so other scopes skip the set lookup', () => {
    for (const scope of BRIDGE_SCOPES) {
      expect(scope.startsWith('@')).toBe(true);
      expect(loggerNameOf(scope, { name: 'tts' })).toBe('tts');
    }
    expect(loggerNameOf('@acme/media', { name: 'tts' })).toBe('@acme/media');
    expect(loggerNameOf('server.session', { name: 'tts' })).toBe('server.session');
  });

  test('ownCopy and internedCopy keep the characters of any string, and of a slice of a large one', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        expect(ownCopy(text)).toBe(text);
        expect(internedCopy(text)).toBe(text);
      }),
    );
    for (const text of ['12345', '__proto__', '', 'constructor', '0', '4294967295', '-1', '1.5']) expect(internedCopy(text)).toBe(text);
    const big = `${'x'.repeat(1 << 20)}CA0123456789abcdef0123456789abcdef`;
    expect(ownCopy(big.slice(-34))).toBe('CA0123456789abcdef0123456789abcdef');
    expect(internedCopy(big.slice(-34))).toBe('CA0123456789abcdef0123456789abcdef');
  });
});
