import { SeverityNumber, type Logger, type LoggerProvider, type LogRecord } from '@opentelemetry/api';
import type pino from 'pino';

/**
 * Runs the getLogger() call script into pino, for the pino peer: the global logs API's loggers
 * write through pino child loggers (one per name, like getLogger); `enabled()` answers with pino's
 * level, so the facade binds a disabled level to a no-op on this side too, as in pino itself.
 */
export class PinoLoggerProvider implements LoggerProvider {
  private readonly root: pino.Logger;
  private readonly children = new Map<string, pino.Logger>();

  constructor(root: pino.Logger) {
    this.root = root;
  }

  getLogger(name: string): Logger {
    let child = this.children.get(name);
    if (child === undefined) this.children.set(name, (child = this.root.child({ name })));
    const log = child;
    return {
      emit: (record: LogRecord) => write(log, record),
      enabled: (options) => log.isLevelEnabled(levelOf(options?.severityNumber)),
    };
  }
}

function levelOf(severity: number | undefined): pino.Level {
  if (severity === undefined || severity === SeverityNumber.UNSPECIFIED) return 'info';
  if (severity < SeverityNumber.INFO) return 'debug';
  if (severity < SeverityNumber.WARN) return 'info';
  if (severity < SeverityNumber.ERROR) return 'warn';
  return 'error';
}

/** `log.info(attributes, message)` as an app using pino writes it; event name and error merged in when present. */
function write(log: pino.Logger, record: LogRecord): void {
  let fields: object = record.attributes ?? {};
  if (record.eventName !== undefined || record.exception !== undefined) {
    fields = { ...fields, event: record.eventName, err: record.exception };
  }
  log[levelOf(record.severityNumber)](fields, String(record.body));
}
