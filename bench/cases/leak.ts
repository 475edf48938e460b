import { CallWorkload } from '../callWorkload.ts';
import { QUICK, runCase, settledHeap } from '../harness.ts';
import { heapRow } from '../report.ts';

/** Heap after 100,000 calls started and ended, against before them (both after full GC). */
runCase(async () => {
  const work = new CallWorkload();
  const calls = QUICK ? 20_000 : 100_000;
  for (let i = 0; i < 2_000; i++) work.open(`warm-${i}`).end();
  await work.flush();
  const before = settledHeap();
  for (let i = 0; i < calls; i++) {
    work.open(`call-${i}`).end();
    if (i % 1_000 === 999) await work.flush(); // as the batch's timer would: records leave for export
  }
  await work.flush();
  const after = settledHeap();
  const stats = work.service.policy!.stats();
  if (stats.callsOpen !== 0) throw new Error(`${stats.callsOpen} calls still open after end()`);
  return [
    heapRow({
      id: 'leak',
      case: `heap growth after ${calls.toLocaleString('en')} calls started and ended`,
      heapBytes: after - before,
      limit: 1024 * 1024,
      goalText: '<= 1 MiB',
      detail: { calls, heapBefore: before, heapAfter: after },
    }),
  ];
});
