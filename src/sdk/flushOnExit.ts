import { constants } from 'node:os';

export interface Flushable {
  /** Exports what is queued; the pipeline stays usable. */
  flush(): Promise<void>;
  /** Exports what is queued and stops. */
  shutdown(): Promise<void>;
}

/** Longest a signal waits for the export before the process exits anyway. */
export const EXIT_FLUSH_TIMEOUT_MS = 10_000;

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Settles when `work` does or after `ms`, never rejects; the timer keeps the process alive meanwhile. */
function bounded(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.catch(() => {}), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Exports queued records before the process goes: on `beforeExit` (the event loop ran dry) it shuts
 * the pipeline down; on SIGTERM/SIGINT, when nothing else listens for the signal, it shuts down and
 * exits with 128 + the signal number, as Node's default would, a second signal exiting at once.
 * When the app has its own handler for the signal, the app owns the exit: the queue is flushed and
 * the rest left to `beforeExit`. Returns a function that removes the handlers.
 */
export function flushOnExit(target: Flushable, timeoutMs = EXIT_FLUSH_TIMEOUT_MS): () => void {
  let stopping: Promise<void> | undefined;
  let exiting = false;
  const shutdown = (): Promise<void> => (stopping ??= bounded(target.shutdown(), timeoutMs));

  const onBeforeExit = (): void => {
    void shutdown();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = 128 + constants.signals[signal];
    if (exiting) process.exit(code);
    if (process.listenerCount(signal) > 1) {
      void bounded(target.flush(), timeoutMs);
      return;
    }
    exiting = true;
    void shutdown().then(() => process.exit(code));
  };

  process.once('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    process.removeListener('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}
