import { expect, test } from 'vitest';
import { coversLogger, thresholdFor } from '../../src/config/directives.ts';
import { parseDuration } from '../../src/config/durations.ts';

test.each([
  ['openai', 'openai', true],
  ['openai', 'openai.realtime', true],
  ['openai', 'openai:client', true],
  ['openai', 'openai/ws', true],
  ['openai', 'openai_tools', false],
  ['openai', 'openaix', false],
  ['openai', 'open', false],
  ['server.media_ws_ai', 'server.media_ws_ai.tx', true],
])('rule %s covers %s: %s', (rule, name, covers) => {
  expect(coversLogger(rule, name)).toBe(covers);
});

test('the most specific rule wins, whatever the order', () => {
  const rules = [
    { logger: 'server.media_ws_ai.tx', level: 5 },
    { logger: 'server', level: 13 },
    { logger: 'server.media_ws_ai', level: 17 },
  ];
  expect(thresholdFor('server.media_ws_ai.tx.queue', rules, 9)).toBe(5);
  expect(thresholdFor('server.media_ws_ai.rx', rules, 9)).toBe(17);
  expect(thresholdFor('server.crm', rules, 9)).toBe(13);
  expect(thresholdFor('crm', rules, 9)).toBe(9);
});

test.each([
  ['500ms', 500],
  ['5s', 5000],
  ['2m', 120_000],
  ['1h', 3_600_000],
  [' 1.5s ', 1500],
])('duration %s', (text, ms) => {
  expect(parseDuration(text)).toBe(ms);
});
test.each(['5', '', 's', '-1s', '0s', '5 parsecs', '1e3s', 'NaNs'])('not a duration: %s', (text) => {
  expect(parseDuration(text)).toBeUndefined();
});
