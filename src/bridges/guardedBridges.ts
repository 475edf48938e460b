import type { Logger, LoggerProvider, LogRecord } from '@opentelemetry/api';
import { safeAttributes, safeException } from '../pipeline/sanitize/entryValues.ts';
import { BRIDGE_SCOPES } from '../policy/attributes.ts';

const GUARDED = Symbol.for('otel-log-policy.guarded-bridges');

/**
 * The pino and winston bridges hand their records straight to the SDK's logger, which checks the
 * attribute values while it builds the record, before any processor runs: a JSON payload nested a
 * few thousand deep throws there, into the app's `logger.info(...)`, and pino's stream, whose write
 * then never completes, loses every later line. From now on the loggers `provider` gives the bridge
 * scopes make the values safe first (as the facade does) and swallow whatever the SDK still throws.
 * The bridges take their logger when a pino logger or winston transport is created, so this must
 * run before the app creates them (register and linkApiLogsGlobal do it right after the SDK starts).
 */
export function guardBridgeLoggers(provider: LoggerProvider): void {
  const target = provider as LoggerProvider & { [GUARDED]?: true };
  if (target[GUARDED] === true || typeof target.getLogger !== 'function') return;
  const getLogger = target.getLogger.bind(target);
  target.getLogger = (name, version, options) => {
    const logger = getLogger(name, version, options);
    return BRIDGE_SCOPES.has(name) ? new GuardedLogger(logger) : logger;
  };
  target[GUARDED] = true;
}

class GuardedLogger implements Logger {
  private readonly inner: Logger;

  constructor(inner: Logger) {
    this.inner = inner;
  }

  emit(record: LogRecord): void {
    const attributes = record.attributes;
    try {
      // A getter, so a record the policy refuses (enabled() is asked first) costs no sanitizing.
      this.inner.emit({
        ...record,
        get attributes() {
          return safeAttributes(attributes);
        },
        exception: safeException(record.exception),
      });
    } catch {
      // The record is lost; the bridge and the app go on.
    }
  }

  enabled(options?: Parameters<Logger['enabled']>[0]): boolean {
    try {
      return this.inner.enabled(options);
    } catch {
      return true;
    }
  }
}
