import { logs, SeverityNumber, type Attributes, type Logger, type LoggerProvider } from '@opentelemetry/api';
import { parseLevel } from '../config/levels.ts';
import { GATE_PROBE_EVENT, GateProbe, type Judge, type PolicyGate } from '../pipeline/PolicyGate.ts';
import { eventRecord } from './eventRecord.ts';
import { safeAttributes, safeException } from '../pipeline/sanitize/entryValues.ts';
import { apiRegistry } from '../state/apiRegistry.ts';
import { registeredProvider } from './registeredProvider.ts';

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

export interface GetLoggerOptions {
  /** Emit to this provider rather than the one registered in the logs API at each call. */
  provider?: LoggerProvider;
}

const LEVELS = [
  ['debug', SeverityNumber.DEBUG, 'DEBUG'],
  ['info', SeverityNumber.INFO, 'INFO'],
  ['warn', SeverityNumber.WARN, 'WARN'],
  ['error', SeverityNumber.ERROR, 'ERROR'],
] as const;
type Method = (typeof LEVELS)[number][0];

/** Nothing is bound yet: differs from every provider, registered or not. */
const UNBOUND = Symbol('unbound');

/**
 * A facade logger that emits to the provider registered now (or the one it was given). Its methods
 * are bound for one provider and one state of that provider's policy: a level the policy cannot
 * pass is a no-op that only checks that the binding still holds (the registered provider and the
 * gate's epoch), and rebinds when it does not. Nothing is kept between facades.
 */
class FacadeLogger implements PolicyLogger {
  readonly name: string;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  private readonly fixedProvider: LoggerProvider | undefined;
  /** What the methods are bound for: the registered provider, the SDK logger, the provider's policy gates. */
  private boundFor: unknown = UNBOUND;
  private otel!: Logger;
  private gates: readonly PolicyGate[] = [];
  private epochs: readonly number[] = [];

  constructor(name: string, provider: LoggerProvider | undefined) {
    this.name = name;
    this.fixedProvider = provider;
    this.debug = this.info = this.warn = this.error = () => {};
    this.bind();
  }

  event(name: string, attributes?: Attributes, message?: string): void {
    this.refresh();
    this.otel.emit(eventRecord(name, safeAttributes(attributes), message));
  }

  isEnabled(level: string | number): boolean {
    const severity = typeof level === 'number' ? level : parseLevel(level);
    if (severity === undefined) return false;
    this.refresh();
    const fixed = this.fixedAnswer(severity);
    return fixed ?? this.otel.enabled({ severityNumber: severity });
  }

  /** Does the binding still hold? One property read and a comparison per gate. */
  private stale(): boolean {
    if (this.fixedProvider === undefined && registeredProvider('logs') !== this.boundFor) return true;
    for (let i = 0; i < this.gates.length; i++) if (this.gates[i]!.epoch !== this.epochs[i]) return true;
    return false;
  }

  private refresh(): void {
    if (this.stale()) this.bind();
  }

  /**
   * Asks the provider, once per level, whether a record can pass: its policy processors hand over
   * their gates through a probe and answer false, so `true` means another processor wants the level.
   */
  private bind(): void {
    const provider = this.fixedProvider ?? logs.getLoggerProvider();
    this.boundFor = this.fixedProvider ?? registeredProvider('logs');
    this.otel = provider.getLogger(this.name);
    const probes = LEVELS.map(([, severityNumber]) => {
      const probe = new GateProbe();
      const wanted = this.otel.enabled({ severityNumber, eventName: GATE_PROBE_EVENT, context: probe });
      return { wanted, gates: probe.gates };
    });
    this.gates = [...new Set(probes.flatMap((p) => p.gates))];
    this.epochs = this.gates.map((gate) => gate.epoch);
    LEVELS.forEach(([method, severity, text], i) => {
      const { wanted, gates } = probes[i]!;
      const passes = wanted || gates.some((gate) => !gate.fixed || gate.allows(this.name, severity));
      // The policy alone decides this level (one policy, no other processor wants it): it may decide before the record is built.
      const judge = !wanted && gates.length === 1 && severity < SeverityNumber.ERROR ? gates[0]!.judge : undefined;
      this[method] = passes ? this.emitter(method, severity, text, judge) : this.disabled(method);
    });
  }

  /** The answer the gates give without a record, if they give one. */
  private fixedAnswer(severity: number): boolean | undefined {
    if (this.gates.length === 0 || this.gates.some((gate) => !gate.fixed)) return undefined;
    return this.gates.some((gate) => gate.allows(this.name, severity));
  }

  private emitter(method: Method, severityNumber: SeverityNumber, severityText: string, judge: Judge | undefined): LogMethod {
    const otel = this.otel;
    const name = this.name;
    // A getter: the SDK reads it only after enabled() said yes, so a record not built costs no sanitizing.
    const emit: LogMethod = (body, attributes, exception) =>
      otel.emit({
        severityNumber,
        severityText,
        body,
        get attributes() {
          return safeAttributes(attributes);
        },
        exception: safeException(exception),
      });
    // This level's last drop, kept for the judge: a frame loop's repeats are answered from it.
    const memo = judge?.memo();
    return (body, attributes, exception) => {
      if (this.stale()) {
        this.bind();
        this[method](body, attributes, exception);
        return;
      }
      if (judge === undefined) return emit(body, attributes, exception);
      // pino's other half: what the rules drop is decided here, so the SDK never builds the record.
      if (exception === undefined && typeof body === 'string' && !judge.prejudge(name, severityNumber, body, attributes, memo!)) return;
      try {
        emit(body, attributes, exception);
      } finally {
        judge.settle();
      }
    };
  }

  /**
   * A level that cannot pass: nothing is built; only a change of provider or policy rebinds it.
   * The common bindings (no more than one gate) get a check of two or three field reads written
   * out in place, so that V8 keeps the disabled call near a plain no-op.
   */
  private disabled(method: Method): LogMethod {
    const again = (body: string, attributes?: Attributes, exception?: unknown): void => {
      this.bind();
      this[method](body, attributes, exception);
    };
    if (this.gates.length > 1) {
      const noop: LogMethod = (body, attributes, exception) => {
        if (this.stale()) again(body, attributes, exception);
      };
      return noop;
    }
    const gate = this.gates[0] ?? NO_GATE;
    const epoch = gate.epoch;
    const bound = this.boundFor;
    if (this.fixedProvider !== undefined) {
      const noop: LogMethod = (body, attributes, exception) => {
        if (gate.epoch !== epoch) again(body, attributes, exception);
      };
      return noop;
    }
    const registry = apiRegistry();
    if (registry === undefined) {
      // Nothing was ever registered: the first registration creates the registry.
      const noop: LogMethod = (body, attributes, exception) => {
        if (apiRegistry() !== undefined) again(body, attributes, exception);
      };
      return noop;
    }
    const noop: LogMethod = (body, attributes, exception) => {
      if (registry['logs'] !== bound || gate.epoch !== epoch) again(body, attributes, exception);
    };
    return noop;
  }
}

/** Stands in for a gate when there is none: its epoch never changes. */
const NO_GATE: Pick<PolicyGate, 'epoch'> = Object.freeze({ epoch: 0 });

/**
 * A logger facade over the OpenTelemetry logs API (scope name = logger name). It emits to the
 * provider registered when it is called (or `options.provider`), so it works with any
 * LoggerProvider and follows `logs.disable()` + a new provider; with a LogPolicyProcessor in that
 * provider, the levels the policy cannot pass are no-ops. Cheap to create, and kept by the caller.
 */
export function getLogger(name: string, options: GetLoggerOptions = {}): PolicyLogger {
  return new FacadeLogger(name, options.provider);
}
