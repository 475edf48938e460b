import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import type { Row } from '../../bench/report.ts';

/**
 * Bounded memory, asserted with generous bounds (never timings): the benchmark's own heap cases,
 * each run in a child Node process with --expose-gc, printing its rows as JSON.
 */
async function benchCase(name: string): Promise<Row> {
  const file = fileURLToPath(new URL(`../../bench/cases/${name}.ts`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', file], { maxBuffer: 1 << 24 });
  return (JSON.parse(stdout) as Row[])[0]!;
}

test('10,000 open calls cost under 4 KiB of heap each', async () => {
  const row = await benchCase('stateMemory');
  expect(row.detail['open']).toBe(10_000);
  expect(row.value).toBeGreaterThan(0);
  expect(row.value).toBeLessThan(4 * 1024);
}, 60_000);

test('100,000 calls started and ended leave under 4 MiB of heap behind after GC', async () => {
  const row = await benchCase('leak');
  expect(row.detail['calls']).toBe(100_000);
  expect(row.value).toBeLessThan(4 * 1024 * 1024);
}, 120_000);

test('a million distinct keys in one call stay under 4 MiB of heap', async () => {
  const row = await benchCase('hostileKeys');
  expect(row.detail['keys']).toBe(1_000_000);
  expect(row.value).toBeLessThan(4 * 1024 * 1024);
}, 120_000);
