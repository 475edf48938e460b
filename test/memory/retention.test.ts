import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import type { Row } from '../../bench/report.ts';

/**
 * Issue 15, item 4: what the policy keeps of large strings is copied to its own size. The bench's
 * retention case (--quick sizes: 256 KiB strings, 5,000 calls) in a child Node with --expose-gc;
 * each row is the heap left after full GC with the pipeline still alive. Before the copies these
 * were 250 MiB (keys, event names, error groups) and 80 MiB (5,000 call ids).
 */
test('keys, event names, error groups and call ids cut from large strings keep only their own size', async () => {
  const file = fileURLToPath(new URL('../../bench/cases/retention.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', file, '--quick'], { maxBuffer: 1 << 24 });
  const rows = JSON.parse(stdout) as Row[];
  console.info('retention:', rows.map((r) => `${r.id} ${r.result}`).join(', '));
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const id of ['retain-tags', 'retain-log-key', 'retain-event-name', 'retain-error-groups']) {
    expect(byId[id]!.value, id).toBeLessThan(8 * 1024 * 1024);
  }
  for (const id of ['retain-start-call-ids', 'retain-record-call-ids', 'retain-sliced-call-ids']) {
    expect(byId[id]!.detail['callsOpen'], id).toBe(5_000);
    // A 16 KiB id kept whole would be 16 KiB a call at least.
    expect(byId[id]!.detail['perItem'] as number, id).toBeLessThan(4 * 1024);
  }
}, 180_000);
