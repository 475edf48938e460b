// Preloaded into the voice server in every variant (before the package, when there is one): the
// process's own CPU and event-loop delay between the driver's `start` and `stop` messages, and that
// CPU by thread (the main thread, V8's workers, the profiler's own thread when there is one). It
// answers over the IPC channel, so it touches neither the console nor the logs pipeline.
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** CPU milliseconds per thread id and name so far, from /proc (10 ms ticks); empty where there is no /proc. */
function threadTimes() {
  const times = new Map();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, fields 14 and 15 of stat(5); USER_HZ is 100 on Linux.
      times.set(tid, { name, ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    }
  } catch {
    // Not Linux: no split by thread.
  }
  return times;
}

/** Milliseconds per thread name between two readings (a thread started since counts from zero); the main thread is `main`. */
function byName(before, after) {
  const out = {};
  for (const [tid, { name, ms }] of after) {
    const key = Number(tid) === process.pid ? 'main' : name;
    out[key] = (out[key] ?? 0) + ms - (before.get(tid)?.ms ?? 0);
  }
  return out;
}

const delay = monitorEventLoopDelay({ resolution: 10 });
let cpu = process.cpuUsage();
let threads = threadTimes();
process.on('message', (message) => {
  if (message === 'start') {
    delay.reset();
    delay.enable();
    threads = threadTimes();
    cpu = process.cpuUsage();
  } else if (message === 'stop') {
    const used = process.cpuUsage(cpu);
    const threadMs = byName(threads, threadTimes());
    delay.disable();
    process.send({ cpuMs: (used.user + used.system) / 1000, threadMs, delayP99Ms: delay.percentile(99) / 1e6, delayMeanMs: delay.mean / 1e6 });
  }
});
