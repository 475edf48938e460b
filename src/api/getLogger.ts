import { logs, SeverityNumber, type Attributes, type Logger } from '@opentelemetry/api';
import { parseLevel } from '../config/levels.ts';
import { eventRecord } from './eventRecord.ts';
import { currentGate, onGateChange } from '../pipeline/policyGate.ts';

type LogMethod = (message: string, attributes?: Attributes, error?: unknown) => void;

export interface PolicyLogger {
  readonly name: string;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A macro event at INFO: event name `name`, body `[NAME] message`. Always emitted. */
  event(name: string, attributes?: Attributes, message?: string): void;
  /** Would a record at `level` (a name like "debug" or a SeverityNumber) be emitted? */
  isEnabled(level: string | number): boolean;
}

const LEVELS = [
  ['debug', SeverityNumber.DEBUG, 'DEBUG'],
  ['info', SeverityNumber.INFO, 'INFO'],
  ['warn', SeverityNumber.WARN, 'WARN'],
  ['error', SeverityNumber.ERROR, 'ERROR'],
] as const;

function noop(): void {}

class FacadeLogger implements PolicyLogger {
  readonly name: string;
  debug: LogMethod = noop;
  info: LogMethod = noop;
  warn: LogMethod = noop;
  error: LogMethod = noop;
  private readonly otel: Logger;

  constructor(name: string) {
    this.name = name;
    // A ProxyLogger until a provider is registered; it follows the provider from then on.
    this.otel = logs.getLogger(name);
    this.bind();
  }

  event(name: string, attributes?: Attributes, message?: string): void {
    this.otel.emit(eventRecord(name, attributes, message));
  }

  isEnabled(level: string | number): boolean {
    const severity = typeof level === 'number' ? level : parseLevel(level);
    if (severity === undefined) return false;
    const gate = currentGate();
    return gate === undefined ? this.otel.enabled({ severityNumber: severity }) : gate(this.name, severity);
  }

  /** Methods the policy would drop by threshold become no-ops: the disabled path costs nothing. */
  bind(): void {
    const gate = currentGate();
    for (const [method, severity, text] of LEVELS) {
      this[method] = gate !== undefined && !gate(this.name, severity) ? noop : this.emitter(severity, text);
    }
  }

  private emitter(severityNumber: SeverityNumber, severityText: string): LogMethod {
    const otel = this.otel;
    return (body, attributes, exception) => {
      otel.emit({ severityNumber, severityText, body, attributes, exception });
    };
  }
}

/** Loggers by name, so a policy change can rebind each one. Names are code, not input: the cap only guards misuse. */
const loggers = new Map<string, FacadeLogger>();
const MAX_LOGGERS = 10_000;
onGateChange(() => {
  for (const logger of loggers.values()) logger.bind();
});

/**
 * A logger facade over the global OpenTelemetry logs API (scope name = logger name), so it works
 * with any registered LoggerProvider; with a LogPolicyProcessor its disabled levels are no-ops.
 */
export function getLogger(name: string): PolicyLogger {
  let logger = loggers.get(name);
  if (logger === undefined) {
    logger = new FacadeLogger(name);
    if (loggers.size < MAX_LOGGERS) loggers.set(name, logger);
  }
  return logger;
}
