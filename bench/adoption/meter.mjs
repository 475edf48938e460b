// Preloaded into the voice server in every variant (before the package, when there is one): the
// process's own CPU and event-loop delay between the driver's `start` and `stop` messages. It
// answers over the IPC channel, so it touches neither the console nor the logs pipeline.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
let cpu = process.cpuUsage();
process.on('message', (message) => {
  if (message === 'start') {
    delay.reset();
    delay.enable();
    cpu = process.cpuUsage();
  } else if (message === 'stop') {
    const used = process.cpuUsage(cpu);
    delay.disable();
    process.send({ cpuMs: (used.user + used.system) / 1000, delayP99Ms: delay.percentile(99) / 1e6, delayMeanMs: delay.mean / 1e6 });
  }
});
