import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TEMPLATE_MAX_LENGTH, TEMPLATE_SCAN, templateOf, type TemplateMeter } from '../../src/policy/template.ts';

const examples: [string, string][] = [
  ['Received media message with timestamp: 1234ms', 'Received media message with timestamp: <n>'],
  ['at 12:34:56.789 from 10.0.0.1:8080', 'at <n> from <n>'],
  ['call CA0123456789abcdef0123456789abcdef stream MZ0123456789abcdef0123456789abcdef', 'call <n> stream <n>'],
  ['id 550e8400-e29b-41d4-a716-446655440000 ok', 'id <n> ok'],
  ["said \"hello world\" and 'bye', don't", "said \"<s>\" and '<s>', don't"],
  ['Received event: response.done {"type":"response.done"}', 'Received event: response.done …'],
  ['failed: boom\n    at x (y.ts:1:1)', 'failed: boom …'],
  ['ctl\u0000\u0001x \t y', 'ctl x y'],
  ['ratio=0.5 peak=1.25', 'ratio=<n> peak=<n>'],
  ['token aGVsbG8gd29ybGQ0MjQy== end', 'token <n> end'],
  ['Client disconnected.', 'Client disconnected.'],
  ['', ''],
];

describe('templateOf', () => {
  test.each(examples)('%j → %j', (line, template) => expect(templateOf(line)).toBe(template));

  test('a 1 MB string, and one of control characters, cost what their first part costs', () => {
    for (const hostile of ['a1 '.repeat(350_000), '\u0000'.repeat(1 << 20), '"'.repeat(1 << 20), 'x'.repeat(1 << 20), '\\'.repeat(1 << 20)]) {
      const meter: TemplateMeter = { steps: 0 };
      const template = templateOf(hostile, meter);
      expect(meter.steps).toBeLessThanOrEqual(TEMPLATE_SCAN);
      expect(template.length).toBeLessThanOrEqual(TEMPLATE_MAX_LENGTH);
    }
  });
});

describe('templateOf: properties', () => {
  test('any string: a template of at most TEMPLATE_MAX_LENGTH characters, in at most TEMPLATE_SCAN steps, from its first TEMPLATE_SCAN characters alone', () => {
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 2_000 }),
      fc.string({ maxLength: 700 }),
      fc.string({ unit: fc.constantFrom('a', '1', ' ', '"', "'", '\\', '\n', ':', '.', '=', '{', '[', '-', 'é', '\u0000', '\ud83d'), maxLength: 1_500 }),
    );
    fc.assert(
      fc.property(anyString, (text) => {
        const meter: TemplateMeter = { steps: 0 };
        const template = templateOf(text, meter);
        expect(template.length).toBeLessThanOrEqual(TEMPLATE_MAX_LENGTH);
        expect(meter.steps).toBeLessThanOrEqual(Math.min(text.length, TEMPLATE_SCAN));
        expect(templateOf(text.slice(0, TEMPLATE_SCAN))).toBe(template);
      }),
      { numRuns: 2_000, seed: 11 },
    );
  });

  const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'), minLength: 1, maxLength: 12 });
  const punct = fc.constantFrom(' ', ': ', ', ', ' = ', ' (', ') ', ' - ', '. ');
  const hex = (n: number) => fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((c) => `${c.join('')}`);
  const id = fc.oneof(
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map(String),
    fc.nat().map((n) => `${n}ms`),
    fc.uuid(),
    hex(31).map((h) => `CA7${h}`),
    hex(31).map((h) => `MZ${h}9`),
    hex(15).map((h) => `0x${h}`),
    fc.tuple(fc.nat(23), fc.nat(59), fc.nat(59), fc.nat(999)).map(([h, m, s, ms]) => `${h}:${m}:${s}.${ms}`),
    fc.ipV4(),
  );

  test('two lines that differ only in numbers or ids share a template', () => {
    // A line: words and punctuation, with an id in some slots; the second line has other ids there.
    const slot = fc.record({ word, punct, withId: fc.boolean(), a: id, b: id });
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 8 }), (slots) => {
        const line = (pick: 'a' | 'b') => slots.map((s) => `${s.word}${s.punct}${s.withId ? `${s[pick]} ` : ''}`).join('');
        expect(templateOf(line('a'))).toBe(templateOf(line('b')));
      }),
      { numRuns: 2_000, seed: 11 },
    );
  });
});
