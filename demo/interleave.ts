import { setTimeout as sleep } from 'node:timers/promises';
import type { VirtualClock } from './virtualClock.ts';

/** A call to run: its steps (see callScript.ts) and when, on the virtual clock, it starts. */
export interface ScheduledCall {
  startAt: number;
  steps: Generator<number, number, void>;
}

export interface Progress {
  virtualMs: number;
  /** Calls started and not yet ended. */
  open: number;
  done: number;
}

export interface InterleaveOptions {
  /** Virtual ms per real ms; Infinity runs as fast as the steps go. */
  speed: number;
  /** Called about once per real second. */
  onProgress?: (progress: Progress) => void;
}

interface Due {
  at: number;
  index: number;
}

/** Earliest first; ties by call index, so runs are deterministic. */
const before = (a: Due, b: Due) => a.at < b.at || (a.at === b.at && a.index < b.index);

/** A binary min-heap of the calls' next steps. */
class DueQueue {
  private readonly items: Due[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: Due): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): Due | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Longest stretch of work between turns of the event loop, so exporters and timers get to run. */
const MAX_BUSY_MS = 20;

/**
 * Runs the calls' steps in virtual-time order on one clock, so they overlap as concurrent calls
 * do, paced at `speed` times real time. Resolves with each call's produced count, by index.
 */
export async function interleave(clock: VirtualClock, calls: readonly ScheduledCall[], options: InterleaveOptions): Promise<number[]> {
  const produced = new Array<number>(calls.length).fill(0);
  const begun = new Uint8Array(calls.length);
  const queue = new DueQueue();
  calls.forEach((call, index) => {
    queue.push({ at: call.startAt, index });
  });
  const virtualStart = clock.now();
  const realStart = performance.now();
  let lastYield = realStart;
  let nextProgress = realStart + 1000;
  let started = 0;
  let done = 0;
  for (let due = queue.pop(); due !== undefined; due = queue.pop()) {
    const realDue = realStart + (due.at - virtualStart) / options.speed;
    let realNow = performance.now();
    if (realDue - realNow > 1) {
      await sleep(realDue - realNow);
      realNow = lastYield = performance.now();
    } else if (realNow - lastYield > MAX_BUSY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      realNow = lastYield = performance.now();
    }
    if (realNow >= nextProgress) {
      nextProgress = realNow + 1000;
      options.onProgress?.({ virtualMs: clock.now() - virtualStart, open: started - done, done });
    }
    clock.advanceTo(due.at);
    if (begun[due.index] === 0) {
      begun[due.index] = 1;
      started++;
    }
    const step = calls[due.index]!.steps.next();
    if (step.done === true) {
      produced[due.index] = step.value;
      done++;
    } else {
      queue.push({ at: due.at + step.value, index: due.index });
    }
  }
  return produced;
}
