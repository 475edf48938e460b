import { expect, test } from 'vitest';
import { turnClock } from '../../src/pipeline/turnClock.ts';

test('the default clock is read once per synchronous run and again after the next microtask checkpoint', async () => {
  let reads = 0;
  const clock = turnClock(() => ++reads * 10);
  expect([clock(), clock(), clock()]).toEqual([10, 10, 10]);
  expect(reads).toBe(1);
  await Promise.resolve();
  expect(clock()).toBe(20);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect([clock(), clock()]).toEqual([30, 30]);
  expect(reads).toBe(3);
});
