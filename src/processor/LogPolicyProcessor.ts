import { SeverityNumber, type Context } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { callIdIn } from '../call/context.ts';
import { KeyBudget } from '../call/boundedKeys.ts';
import { CallStore } from '../call/callStore.ts';
import { loadPolicyConfig } from '../config/load.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { publishGate, withdrawGate } from '../logger/policyGate.ts';
import { ATTR, BRIDGE_SCOPES } from '../record/attributes.ts';
import { errorGroupOf, keyOf, loggerNameOf, severityOf, type RecordFacts } from '../record/facts.ts';
import { CompiledPolicy } from '../rules/compiledPolicy.ts';
import { decide } from '../rules/decide.ts';
import { callSummary } from './callSummary.ts';
import { StatsCounter, type PolicyStats } from './stats.ts';
import type { ExportStats } from '../export/exportStats.ts';

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
  private readonly exportStats: ExportStats | undefined;

  constructor(downstream: LogRecordProcessor, options: LogPolicyProcessorOptions = {}) {
    this.downstream = downstream;
    this.config = options.config ?? loadPolicyConfig();
    this.policy = new CompiledPolicy(this.config);
    this.now = options.now ?? performance.now.bind(performance);
    this.exportStats = options.exportStats;
    this.calls = new CallStore(this.config.callTtlMs, this.config.maxCalls, this.now(), new KeyBudget(this.config.maxKeysPerCall, this.config.maxTrackedKeys));
    publishGate(this, (logger, severity) => severity >= this.floorOf(logger));
  }

  /**
   * Can a record of this scope and severity pass? Threshold only, no state, nothing counted, so a
   * record below it is never built. The key is unknown here (it may come from the body), so the
   * macro and DEBUG_TX exemptions are assumed possible.
   */
  enabled(options: EnabledOptions): boolean {
    try {
      const scope = options.instrumentationScope.name;
      const floor = BRIDGE_SCOPES.has(scope) ? this.policy.effectiveThreshold(this.policy.loosestThreshold, true, true) : this.floorOf(scope);
      if (severityOf(options.severityNumber) < floor) return false;
      return this.downstream.enabled === undefined || this.downstream.enabled(options);
    } catch {
      return true;
    }
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    this.counter.seen++;
    try {
      if (!this.apply(record, this.factsOf(record, context))) return;
    } catch {
      // A policy bug must not cost the app its log line: forward unchanged, and count it.
      this.counter.internalErrors++;
    }
    this.forward(record, context);
  }

  stats(): PolicyStats {
    const stats = this.counter.snapshot(this.calls.open, this.calls.evicted, this.calls.keys);
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

  private floorOf(logger: string): number {
    return this.policy.effectiveThreshold(this.policy.thresholdOf(logger), true, true);
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
  private apply(record: ReadWriteLogRecord, facts: RecordFacts): boolean {
    const now = this.now();
    this.calls.sweep(now);
    const state = facts.callId === undefined ? this.calls.outside : this.calls.get(facts.callId, now);
    state.produced++;
    const verdict = decide(facts, state, now, this.policy);
    if (verdict.kind === 'drop') {
      state.countDrop(verdict.index, facts.key);
      this.counter.countDrop(verdict.index, facts.key);
      return false;
    }
    if (verdict.kind === 'downgrade') {
      this.counter.downgraded++;
      record.setSeverityNumber(verdict.severity);
      record.setSeverityText('WARN');
      record.setAttribute(ATTR.repeatCount, verdict.repeatCount);
      const body = typeof record.body === 'string' ? record.body : facts.errorGroup;
      record.setBody(`${body} (repeated ${verdict.repeatCount} times since the last report)`);
    }
    state.forwarded++;
    // Stamped only on records that pass: setAttribute is the SDK's costliest record call.
    if (facts.callIdFromContext) record.setAttribute(ATTR.callId, facts.callId!);
    if (facts.isMacro) {
      record.setAttribute(ATTR.key, facts.key);
      if (record.eventName === undefined) record.setEventName(facts.key!);
      if (facts.key === 'CALL_END' && facts.callId !== undefined) {
        this.calls.end(facts.callId);
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
