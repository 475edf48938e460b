import { ROOT_CONTEXT, type Attributes, type Context } from '@opentelemetry/api';
import type { DropMemo } from './DropMemo.ts';

/**
 * What one LogPolicyProcessor answers for (scope, severity) before any record exists, so that the
 * getLogger facade can bind the levels that cannot pass to no-ops (pino's trick: decide once, not
 * per call). The processor owns its gate; nothing is published process-wide. A facade finds the
 * gates of the provider it emits to by asking that provider's `enabled()` with a {@link GateProbe}.
 */
export class PolicyGate {
  /** Bumped whenever the answers change (escalation on or off, the processor shut down): bound facades rebind. */
  epoch = 0;
  /** False while answers depend on the record's context (escalated calls, the flight recorder): no level is a no-op. */
  fixed = true;
  /**
   * The processor's rules, for a facade to run before the SDK builds a record (undefined while
   * records must be built whatever happens to them: the flight recorder keeps dropped ones).
   * `prejudge` false: dropped and counted, emit nothing. True: emit it now; `settle` after the emit.
   */
  judge: Judge | undefined = undefined;
  private readonly floorOf: (scope: string) => number;

  constructor(floorOf: (scope: string) => number) {
    this.floorOf = floorOf;
  }

  allows(scope: string, severity: number): boolean {
    return severity >= this.floorOf(scope);
  }

  /** The answers changed: `fixed` says whether they are context-free from now on. */
  changed(fixed: boolean): void {
    this.fixed = fixed;
    this.epoch++;
  }
}

export interface Judge {
  /** A place for one facade level to keep its last drop in, so that a repeat of it is answered from there. */
  memo(): DropMemo;
  prejudge(scope: string, severityNumber: number, body: string, attributes: Attributes | undefined, memo: DropMemo): boolean;
  settle(): void;
}

/** The event name of a probe: no record carries it, so `enabled()` spots a probe with one comparison. */
export const GATE_PROBE_EVENT = 'otel-log-policy.gate-probe';

/**
 * The context a facade passes to `Logger.enabled({ eventName: GATE_PROBE_EVENT, context: probe })`:
 * each LogPolicyProcessor of that provider adds its gate and answers false, so the SDK goes on to
 * the provider's other processors; `enabled()` returning true means some other processor wants
 * the level whatever the policy says.
 */
export class GateProbe implements Context {
  readonly gates: PolicyGate[] = [];

  getValue(key: symbol): unknown {
    return ROOT_CONTEXT.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return ROOT_CONTEXT.setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return ROOT_CONTEXT.deleteValue(key);
  }
}
