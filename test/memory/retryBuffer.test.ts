import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * ERRORs with 1 MB bodies wait in the retry buffer while the collector is down. What the buffer
 * keeps must cost the capped record (16,384-character body), not the megabyte behind it: V8 keeps a
 * whole string alive behind a slice. Measured in a child with --expose-gc; bounds are generous.
 */
test('400 buffered ERRORs of 1 MB cost their capped size, not 400 MB', () => {
  const script = fileURLToPath(new URL('./retryBufferHeap.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', script, '400'], { encoding: 'utf8', timeout: 120_000 });
  const r = JSON.parse(out.trim().split('\n').at(-1)!);
  console.info('retry buffer heap:', JSON.stringify(r));
  expect(r.buffered).toBe(400);
  expect(r.exporterBuffered).toBe(400);
  // Capped, a record is about 16 KiB of body (+ 4 KiB attribute in the second case): 400 are under 10 MB.
  expect(r.pipelineBytes).toBeLessThan(40 * 1024 * 1024);
  expect(r.exporterBytes).toBeLessThan(40 * 1024 * 1024);
}, 180_000);
