import { formatWithOptions, type InspectOptions } from 'node:util';
import { context, SeverityNumber } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { getLogger, type PolicyLogger } from '../api/getLogger.ts';
import type { ConsoleEcho } from '../config/registerConfig.ts';
import { safeException } from '../pipeline/sanitize/entryValues.ts';

export type { ConsoleEcho };
import { ATTR } from '../policy/attributes.ts';
import { templateOf } from '../policy/template.ts';

export interface CaptureConsoleOptions {
  /**
   * Which captured calls still print to the real console as well: `errors` (the default:
   * `console.warn` and `console.error`, the stderr ones), `all`, or `none` (records only).
   * `true` is `all` and `false` is `none`, as before.
   */
  echo?: ConsoleEcho | boolean;
  /** Logger name (instrumentation scope) of the records, for LOG_POLICY_LEVELS (default `console`). */
  loggerName?: string;
}

type Method = 'debug' | 'log' | 'info' | 'warn' | 'error';
type ConsoleFn = (...args: unknown[]) => void;

/** Each console method, its severity and the facade level it is logged at. */
const METHODS: ReadonlyArray<readonly [Method, SeverityNumber, 'debug' | 'info' | 'warn' | 'error']> = [
  ['debug', SeverityNumber.DEBUG, 'debug'],
  ['log', SeverityNumber.INFO, 'info'],
  ['info', SeverityNumber.INFO, 'info'],
  ['warn', SeverityNumber.WARN, 'warn'],
  ['error', SeverityNumber.ERROR, 'error'],
];

/** The methods Node's console writes to stderr: what `errors` echoes. */
const STDERR_METHODS: ReadonlySet<Method> = new Set(['warn', 'error']);

/**
 * The active capture's restore function lives on the console it captures (the object that owns the
 * state), under a registry symbol so that two copies of this module (ESM and CommonJS) share it.
 */
const ACTIVE = Symbol.for('otel-log-policy.captureConsole');

type CapturedConsole = Record<Method, ConsoleFn> & { [ACTIVE]?: () => void };

function echoes(echo: CaptureConsoleOptions['echo'], method: Method): boolean {
  if (echo === true || echo === 'all') return true;
  if (echo === false || echo === 'none') return false;
  return STDERR_METHODS.has(method);
}

/**
 * How objects in console arguments are formatted: once, on one line, bounded in depth and length
 * (a 1 MB string or a 100,000-item array costs what its first part costs to print).
 */
const BODY_FORMAT: InspectOptions = { depth: 3, maxStringLength: 2_048, maxArrayLength: 50, breakLength: Infinity, compact: true };

/**
 * Through the getLogger facade: the record goes to the provider registered now, and the policy
 * decides before the SDK builds it (below ERROR). Nothing is formatted for a level that cannot pass.
 */
function emitRecord(logger: PolicyLogger, severityNumber: SeverityNumber, level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]): void {
  if (!logger.isEnabled(severityNumber)) return;
  const exception = args.find(isError);
  const first = args[0];
  // `console.log('Received event:', msg)`: the first argument is the template (the objects after it are data).
  const template = args.length > 1 && typeof first === 'string' && first.charCodeAt(0) !== 91 /* [TAG] is a key */ ? templateOf(first) : undefined;
  const attributes = template === undefined || template === '' ? undefined : { [ATTR.template]: template };
  logger[level](formatWithOptions(BODY_FORMAT, ...args), attributes, exception === undefined ? undefined : safeException(exception));
}

/** `instanceof Error` that a revoked Proxy (whose prototype cannot be read) answers false instead of throwing. */
function isError(arg: unknown): boolean {
  try {
    return arg instanceof Error;
  } catch {
    return false;
  }
}

/**
 * Routes console.log/info/warn/error/debug into the logs API (so through the policy) as records of
 * the `console` logger: arguments formatted like `util.format`, a leading `[TAG]` is the key, an
 * Error argument is the record's exception. By default `console.warn` and `console.error` still
 * print too (synchronously, before the call returns, so a `process.exit()` right after loses
 * nothing from the terminal); `echo` chooses. Returns the function that puts the console back.
 * Console calls made while a record is being emitted, or from an exporter (which runs with tracing
 * suppressed), print to the real console instead, so a pipeline that logs cannot loop. Calling it
 * again while a capture is active returns the active capture's restore function.
 */
export function captureConsole(options: CaptureConsoleOptions = {}): () => void {
  const target = console as unknown as CapturedConsole;
  const active = target[ACTIVE];
  if (active !== undefined) return active;
  const logger = getLogger(options.loggerName ?? 'console');
  const installed: Array<[Method, ConsoleFn, ConsoleFn]> = [];
  let on = true;
  /** True while a captured call is being emitted: console output from inside the pipeline goes straight out. */
  let emitting = false;

  for (const [method, severityNumber, level] of METHODS) {
    const original = target[method];
    const echo = echoes(options.echo, method);
    const wrapper: ConsoleFn = function capturedConsole(this: unknown, ...args: unknown[]) {
      if (!on || emitting || isTracingSuppressed(context.active())) {
        original.apply(this, args);
        return;
      }
      // The echo first: if the app exits or crashes right after, the terminal has the line.
      if (echo) original.apply(this, args);
      emitting = true;
      try {
        emitRecord(logger, severityNumber, level, args);
      } catch {
        // Logging must never throw into the app: the line goes to the real console instead.
        if (!echo) original.apply(this, args);
      } finally {
        emitting = false;
      }
    };
    target[method] = wrapper;
    installed.push([method, original, wrapper]);
  }

  const restore = (): void => {
    if (!on) return;
    on = false;
    if (target[ACTIVE] === restore) delete target[ACTIVE];
    // A wrapper someone put over ours stays; ours then just passes through (`on` is false).
    for (const [method, original, wrapper] of installed) if (target[method] === wrapper) target[method] = original;
  };
  target[ACTIVE] = restore;
  return restore;
}
