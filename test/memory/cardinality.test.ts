import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * A million distinct keys built from user input, in one call and across calls, through the real
 * pipeline and the seed's helpers. Measured in a child process with --expose-gc so the heap figures
 * mean something; the bounds are generous (the machine is shared), the figures are printed.
 */
test('a million distinct keys: memory stays under the caps, overflow is counted, known keys keep their policy', () => {
  const script = fileURLToPath(new URL('./flood.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', script, '1000000'], { encoding: 'utf8', timeout: 120_000 });
  const r = JSON.parse(out.trim().split('\n').at(-1)!);
  console.info('key flood:', JSON.stringify(r));
  // One call: the per-call caps (64 policy keys per table, 1,024 per helper) hold; growth is a few hundred KB at most.
  expect(r.oneCallBytes).toBeLessThan(4 * 1024 * 1024);
  // Three tables per call take from the key budget: drop counts, repeated errors, and the template limit's rows.
  expect(r.oneCall.keysTracked).toBeLessThanOrEqual(3 * 64);
  expect(r.oneCall.overflowDrops).toBeGreaterThan(900_000);
  expect(r.rlOverflowed).toBeGreaterThan(900_000);
  expect(r.onceOverflowed).toBeGreaterThan(900_000);
  // Across 10,000 calls that never end: the 100,000-key totals hold.
  expect(r.across.keysTracked).toBeLessThanOrEqual(100_000);
  expect(r.across.callsOpen).toBe(10_000);
  expect(r.acrossCallsBytes).toBeLessThan(96 * 1024 * 1024);
  // Known keys still follow the policy after the flood.
  expect(r.txSlowFirst).toBe(1);
  expect(r.txSlowAfter).toBe(0);
  expect(r.knownLimited).toBe(true);
}, 180_000);
