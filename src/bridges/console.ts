import { format } from 'node:util';
import { context, logs, SeverityNumber, type Logger } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';

export interface CaptureConsoleOptions {
  /** Also print every call to the real console, as before (default false: records only). */
  echo?: boolean;
  /** Logger name (instrumentation scope) of the records, for LOG_POLICY_LEVELS (default `console`). */
  loggerName?: string;
}

type Method = 'debug' | 'log' | 'info' | 'warn' | 'error';
type ConsoleFn = (...args: unknown[]) => void;

const METHODS: ReadonlyArray<readonly [Method, SeverityNumber, string]> = [
  ['debug', SeverityNumber.DEBUG, 'DEBUG'],
  ['log', SeverityNumber.INFO, 'INFO'],
  ['info', SeverityNumber.INFO, 'INFO'],
  ['warn', SeverityNumber.WARN, 'WARN'],
  ['error', SeverityNumber.ERROR, 'ERROR'],
];

let active: (() => void) | undefined;
/** True while a captured call is being emitted: console output from inside the pipeline goes straight out. */
let emitting = false;

function emitRecord(logger: Logger, severityNumber: SeverityNumber, severityText: string, args: unknown[]): void {
  if (!logger.enabled({ severityNumber })) return;
  const exception = args.find((arg) => arg instanceof Error);
  logger.emit({
    severityNumber,
    severityText,
    body: format(...args),
    ...(exception === undefined ? {} : { exception }),
  });
}

/**
 * Routes console.log/info/warn/error/debug into the logs API (so through the policy) as records of
 * the `console` logger: arguments formatted like `util.format`, a leading `[TAG]` is the key, an
 * Error argument is the record's exception. Returns the function that puts the console back.
 * Console calls made while a record is being emitted, or from an exporter (which runs with tracing
 * suppressed), print to the real console instead, so a pipeline that logs cannot loop. Calling it
 * again while a capture is active returns the active capture's restore function.
 */
export function captureConsole(options: CaptureConsoleOptions = {}): () => void {
  if (active !== undefined) return active;
  const logger = logs.getLogger(options.loggerName ?? 'console');
  const echo = options.echo === true;
  const target = console as unknown as Record<Method, ConsoleFn>;
  const installed: Array<[Method, ConsoleFn, ConsoleFn]> = [];
  let on = true;

  for (const [method, severityNumber, severityText] of METHODS) {
    const original = target[method];
    const wrapper: ConsoleFn = function capturedConsole(this: unknown, ...args: unknown[]) {
      if (!on || emitting || isTracingSuppressed(context.active())) {
        original.apply(this, args);
        return;
      }
      emitting = true;
      try {
        emitRecord(logger, severityNumber, severityText, args);
      } catch {
        // Logging must never throw into the app: the line goes to the real console instead.
        if (!echo) original.apply(this, args);
      } finally {
        emitting = false;
      }
      if (echo) original.apply(this, args);
    };
    target[method] = wrapper;
    installed.push([method, original, wrapper]);
  }

  const restore = (): void => {
    if (!on) return;
    on = false;
    active = undefined;
    // A wrapper someone put over ours stays; ours then just passes through (`on` is false).
    for (const [method, original, wrapper] of installed) if (target[method] === wrapper) target[method] = original;
  };
  active = restore;
  return restore;
}
