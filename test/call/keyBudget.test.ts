import { describe, expect, test } from 'vitest';
import { pipeline } from '../helpers/pipeline.ts';

describe('tracked keys across calls', () => {
  test('LOG_POLICY_MAX_TRACKED_KEYS caps keys across open calls; ending calls gives the room back', () => {
    const p = pipeline({ LOG_POLICY_MAX_TRACKED_KEYS: '10', LOG_POLICY_MAX_KEYS: '4' });
    const log = p.logger('app');
    const errors = (call: string, n: number) => {
      for (let i = 0; i < n; i++) log.emit({ severityNumber: 17, body: `boom ${i}`, attributes: { 'call.id': call, 'log.key': `E${i}` } });
    };
    for (const call of ['A', 'B', 'C']) errors(call, 6);
    let stats = p.processor.stats();
    expect(stats.keysTracked).toBe(10); // the total cap, reached in the third call
    expect(stats.keysOverflowed).toBeGreaterThan(0); // lookups that landed in an overflow slot
    for (const call of ['A', 'B', 'C']) log.emit({ eventName: 'CALL_END', body: '[CALL_END]', attributes: { 'call.id': call } });
    stats = p.processor.stats();
    expect(stats.keysTracked).toBe(0);
    errors('D', 4);
    expect(p.processor.stats().keysTracked).toBe(4);
  });
});
