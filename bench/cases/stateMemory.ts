import { CallWorkload } from '../callWorkload.ts';
import { QUICK, runCase, settledHeap } from '../harness.ts';
import { heapRow } from '../report.ts';

/**
 * Heap per open call with 10,000 calls open at once: everything the package keeps for a call (the
 * policy's call state, the helpers' slots, the CallScope with its context and span), as the
 * difference of settled heaps before and after opening them.
 */
runCase(async () => {
  const work = new CallWorkload();
  const open = 10_000;
  for (let i = 0; i < 1_000; i++) work.open(`warm-${i}`).end(); // compile and size every path first
  await work.flush();
  const before = settledHeap();
  const calls = [];
  for (let i = 0; i < open; i++) calls.push(work.open(`call-${i}`));
  await work.flush();
  const after = settledHeap();
  const perCall = (after - before) / open;
  const callsOpen = work.service.policy!.stats().callsOpen;
  if (callsOpen !== open) throw new Error(`expected ${open} open calls, the policy has ${callsOpen}`);
  for (const call of calls) call.end();
  return [
    heapRow({
      id: 'state-per-call',
      case: `heap per open call (${open.toLocaleString('en')} open)`,
      heapBytes: perCall,
      limit: 1024,
      goalText: '<= 1 KiB',
      detail: { open, heapBefore: before, heapAfter: after, quick: QUICK },
    }),
  ];
});
