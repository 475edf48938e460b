import { SeverityNumber, type Context } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { callIdIn } from '../state/callContext.ts';
import { KeyBudget } from '../state/KeyBudget.ts';
import { CallStore } from '../state/CallStore.ts';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { publishGate, withdrawGate, type Gate } from './policyGate.ts';
import { ATTR } from '../policy/attributes.ts';
import { errorGroupOf, keyOf, loggerNameOf, severityOf, type RecordFacts } from '../policy/facts.ts';
import { CompiledPolicy } from '../policy/CompiledPolicy.ts';
import { decide } from '../policy/decide.ts';
import { callSummary } from './callSummary.ts';
import { DebugFeatures } from './hooks/DebugFeatures.ts';
import { heldForNaming } from './hooks/pendingCalls.ts';
import { afterEnd } from './hooks/afterEnd.ts';
import { StatsCounter, type PolicyStats } from './StatsCounter.ts';
import type { ExportStats } from './export/ExportStats.ts';

export interface LogPolicyProcessorOptions {
  /** Default: `loadPolicyConfig(process.env)`. */
  config?: PolicyConfig;
  /** Millisecond clock for every time-based rule; default `performance.now`. */
  now?: () => number;
  /** Counters of the steps after the policy (sanitizer, redaction, queue, exporter), reported in `stats().export`. */
  exportStats?: ExportStats;
}

interface EnabledOptions {
  context: Context;
  instrumentationScope: InstrumentationScope;
  severityNumber?: SeverityNumber;
  eventName?: string;
}

/**
 * Enforces the logging policy before records reach `downstream` (typically a
 * BatchLogRecordProcessor with the OTLP exporter). Processors registered side by side all see
 * every record, so the policy wraps the exporting processor instead of sitting beside it.
 * Nothing it does throws into the code that logs.
 */
export class LogPolicyProcessor implements LogRecordProcessor {
  readonly config: PolicyConfig;
  private readonly downstream: LogRecordProcessor;
  private readonly policy: CompiledPolicy;
  private readonly now: () => number;
  private readonly calls: CallStore;
  private readonly counter = new StatsCounter();
  /** The clock's last reading, and records since: most records need no time at all. */
  private lastNow: number;
  private sinceClock = 0;
  private readonly exportStats: ExportStats | undefined;
  /** Flight recorder, per-call escalation, the policy's metrics: each one boolean on the hot path while off. */
  private readonly debug: DebugFeatures;
  /** The facade's loggers emit under their own name as scope, so they are held to that scope's floor. */
  private readonly gate: Gate = (logger, severity) => severity >= this.policy.scopeFloor(logger);

  constructor(downstream: LogRecordProcessor, options: LogPolicyProcessorOptions = {}) {
    this.downstream = downstream;
    this.config = options.config ?? loadPolicyConfig();
    this.policy = new CompiledPolicy(this.config);
    this.now = options.now ?? performance.now.bind(performance);
    this.lastNow = this.now();
    this.exportStats = options.exportStats;
    this.calls = new CallStore(this.config.callTtlMs, this.config.maxCalls, this.now(), new KeyBudget(this.config.maxKeysPerCall, this.config.maxTrackedKeys));
    const { config, downstream: down, counter, calls, gate } = this;
    this.debug = new DebugFeatures({ config, downstream: down, counter, calls, owner: this, gate });
    this.calls.onEvict = (state) => this.debug.released(state);
    // While records below the floor may be built inside calls, no level is bound to a no-op up front.
    publishGate(this, this.debug.buildsInCalls ? undefined : gate);
  }

  /**
   * Can a record of this scope and severity pass? Threshold only, no state, nothing counted, so a
   * record below it is never built. The key is unknown here (it may come from the body), so the
   * macro and DEBUG_TX exemptions are assumed possible. With the recorder on, records inside
   * calls are built whatever their level; in an escalated call, down to its development floor.
   */
  enabled(options: EnabledOptions): boolean {
    try {
      const scope = options.instrumentationScope.name;
      const severity = severityOf(options.severityNumber);
      if (severity < this.policy.scopeFloor(scope) && !(this.debug.buildsInCalls && this.debug.buildsInCall(scope, severity, options.context))) return false;
      return this.downstream.enabled === undefined || this.downstream.enabled(options);
    } catch {
      return true;
    }
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    if (heldForNaming(this, record, context)) return;
    this.counter.seen++;
    try {
      if (!this.apply(record, this.factsOf(record, context), context)) return;
    } catch {
      // A policy bug must not cost the app its log line: forward unchanged, and count it.
      this.counter.internalErrors++;
    }
    this.forward(record, context);
  }

  stats(): PolicyStats {
    const stats: PolicyStats = { ...this.counter.snapshot(this.calls.open, this.calls.evicted, this.calls.keys), callsEscalated: this.debug.escalatedOpen, recorder: this.debug.recorder?.stats() };
    if (this.exportStats !== undefined) stats.export = this.exportStats.snapshot();
    return stats;
  }

  forceFlush(): Promise<void> {
    return this.downstream.forceFlush();
  }

  shutdown(): Promise<void> {
    withdrawGate(this);
    return this.downstream.shutdown();
  }

  private factsOf(record: ReadWriteLogRecord, context: Context | undefined): RecordFacts {
    const attributes = record.attributes;
    const rawCall = attributes[ATTR.callId];
    const inRecord = typeof rawCall === 'string' || typeof rawCall === 'number';
    const callId = inRecord ? String(rawCall) : callIdIn(context);
    const key = keyOf(attributes, record.eventName, record.body);
    const rules = this.policy.rulesOf(key);
    const logger = loggerNameOf(record.instrumentationScope.name, attributes);
    const severity = severityOf(record.severityNumber);
    return {
      callId,
      callIdFromContext: !inRecord && callId !== undefined,
      key,
      rules,
      logger,
      severity,
      isMacro: rules.macro,
      errorGroup: severity >= SeverityNumber.ERROR ? errorGroupOf(key, logger, attributes, record.body) : undefined,
    };
  }

  /** Runs the rules and changes the record as they say; false when the record is dropped. */
  private apply(record: ReadWriteLogRecord, facts: RecordFacts, context: Context | undefined): boolean {
    let state = facts.callId === undefined ? this.calls.outside : this.calls.peek(facts.callId);
    if (state?.ended === true) state = afterEnd(this.calls, this.counter, state, facts);
    // The clock is read only when something needs the time: a rate limit, an error's repeat
    // interval, a macro (CALL_END's duration), a new call, and every 256th record for the TTL sweep.
    let now = this.lastNow;
    if (state === undefined || facts.rules.rate >= 0 || facts.severity >= SeverityNumber.ERROR || facts.isMacro || (++this.sinceClock & 255) === 0) {
      now = this.lastNow = this.now();
      this.calls.sweep(now);
      state ??= this.calls.get(facts.callId!, now);
    }
    if (state.produced === 0 && facts.callId !== undefined) this.debug.opened(state, record, context);
    state.produced++;
    const verdict = decide(facts, state, now, state.escalated ? this.debug.escalatedPolicy : this.policy);
    if (verdict.kind === 'drop') {
      state.countDrop(verdict.index, facts.key);
      this.counter.countDrop(verdict.index, facts.key);
      if (this.debug.watchesDrops) this.debug.afterDrop(record, context, facts, verdict.index);
      return false;
    }
    if (verdict.kind === 'downgrade') {
      this.counter.downgraded++;
      record.setSeverityNumber(verdict.severity);
      record.setSeverityText('WARN');
      record.setAttribute(ATTR.repeatCount, verdict.repeatCount);
      const body = typeof record.body === 'string' ? record.body : facts.errorGroup;
      record.setBody(`${body} (repeated ${verdict.repeatCount} times since the last report)`);
      // The first occurrence carried the stack; the report carries the count, not the stack again.
      delete record.attributes[ATTR.exceptionStacktrace];
    }
    state.forwarded++;
    // Stamped only on records that pass, and written straight into the attributes: the SDK's
    // setAttribute validates and counts each value, the costliest step of a passing record, and a
    // string id needs neither (at worst the record carries one attribute beyond the SDK's limit).
    if (facts.callIdFromContext) record.attributes[ATTR.callId] = facts.callId!;
    if (this.debug.recorder !== undefined && facts.callId !== undefined) this.debug.beforeForward(state, facts);
    if (facts.isMacro) {
      record.setAttribute(ATTR.key, facts.key);
      if (record.eventName === undefined) record.setEventName(facts.key!);
      if (facts.key === 'CALL_END' && facts.callId !== undefined && !state.ended) {
        this.calls.end(facts.callId);
        this.debug.released(state);
        record.setAttributes(callSummary(state, now));
      }
    }
    return true;
  }

  private forward(record: ReadWriteLogRecord, context: Context | undefined): void {
    this.counter.forwarded++;
    try {
      this.downstream.onEmit(record, context);
    } catch {
      this.counter.downstreamErrors++;
    }
  }
}
