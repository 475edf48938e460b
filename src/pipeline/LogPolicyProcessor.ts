import { SeverityNumber, type AnyValue, type Attributes, type Context } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { CALL_ID_KEY, callIdIn, callIn, type CallHandle } from '../state/callContext.ts';
import { ActiveContext } from '../state/ActiveContext.ts';
import { KeyBudget, OVERFLOW_KEY } from '../state/KeyBudget.ts';
import { CallStore } from '../state/CallStore.ts';
import type { CallState } from '../state/CallState.ts';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { GATE_PROBE_EVENT, GateProbe, PolicyGate } from './PolicyGate.ts';
import { DropMemo } from './DropMemo.ts';
import { ATTR, ownCallId, ownLogKey } from '../policy/attributes.ts';
import { boundedCallId } from '../config/boundedStrings.ts';
import { blankFacts, errorGroupOf, loggerNameOf, severityOf, startsWithTag, templateFor, type RecordFacts } from '../policy/facts.ts';
import { CompiledPolicy } from '../policy/CompiledPolicy.ts';
import { decide, keyDrop } from '../policy/decide.ts';
import { DROP, type Drop, type Verdict } from '../policy/verdict.ts';
import { ESCALATED_ATTRIBUTE } from './hooks/escalation.ts';
import { applyCounted, applyDowngrade, stampCallEnd, stampPassing } from './applyVerdict.ts';
import { TailKeeper } from './hooks/TailKeeper.ts';
import { EscalationHook } from './hooks/EscalationHook.ts';
import { MetricsHook } from './hooks/MetricsHook.ts';
import type { PolicyHook } from './hooks/PolicyHook.ts';
import { RecorderHook } from './hooks/RecorderHook.ts';
import { awaitsName, heldForNaming } from './hooks/pendingCalls.ts';
import { afterEnd } from './hooks/afterEnd.ts';
import { StatsCounter, type PolicyStats } from './StatsCounter.ts';
import { turnClock } from './turnClock.ts';
import type { ExportStats } from './export/ExportStats.ts';

/** What the rules decided for a record that is not dropped outright, until the record is in hand. */
interface Outcome {
  state: CallState;
  verdict: Verdict;
  now: number;
  /** The record was its call's first. */
  opened: boolean;
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

export interface LogPolicyProcessorOptions {
  /** Default: `loadPolicyConfig(process.env)`. */
  config?: PolicyConfig;
  /** Millisecond clock for every time-based rule; default `performance.now`, read once per synchronous run (see turnClock). */
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
  /** The active context, as the facade's way in reads it (see prejudge). */
  private readonly activeContext = new ActiveContext();
  /** The clock's last reading, and records since: most records need no time at all. */
  private lastNow: number;
  private sinceClock = 0;
  private readonly exportStats: ExportStats | undefined;
  /** Per-call escalation, the flight recorder (undefined while off), the policy's metrics. */
  private readonly escalation: EscalationHook;
  private readonly recorder: RecorderHook | undefined;
  /** Records past a call's budget held for its end (LOG_POLICY_CALL_TAIL), sent before its CALL_END. */
  private readonly tail: TailKeeper;
  /** The hooks that take each event, in order: a feature that is off is in none of these. */
  private readonly onOpened: PolicyHook[];
  private readonly onDropped: PolicyHook[];
  private readonly onBeforeForward: PolicyHook[];
  private readonly onReleased: PolicyHook[];
  /** Records below the floor may be built inside calls (the recorder is on, or an escalated call is open or listed). */
  private buildsInCalls = false;
  /** What facades bound to this processor's provider may treat as fixed: their scope's floor. */
  private readonly gate = new PolicyGate((scope) => this.policy.scopeFloor(scope));
  /** The facts of the record `prejudge` is deciding (nothing keeps them past a drop). */
  private readonly scratchFacts = blankFacts();
  /** The verdict of the last record `judge` dropped (a DropMemo keeps it when its repeats can be answered by it). */
  private lastDrop: Drop | undefined = undefined;
  /** A record the facade had decided, waiting for its onEmit (see `prejudge`). */
  private prejudged: { body: string; scope: string; facts: RecordFacts; outcome: Outcome } | undefined;

  constructor(downstream: LogRecordProcessor, options: LogPolicyProcessorOptions = {}) {
    this.downstream = downstream;
    this.config = options.config ?? loadPolicyConfig();
    this.policy = new CompiledPolicy(this.config);
    this.now = options.now ?? turnClock();
    this.lastNow = this.now();
    this.exportStats = options.exportStats;
    this.calls = new CallStore(this.config.callTtlMs, this.config.maxCalls, this.now(), new KeyBudget(this.config.maxKeysPerCall, this.config.maxTrackedKeys));
    this.escalation = new EscalationHook(this.config, () => this.syncBuildsInCalls());
    const metrics = new MetricsHook({ passed: () => this.counter.forwarded, callsOpen: () => this.calls.open, callsEscalated: () => this.escalation.open });
    this.recorder = this.config.recorder > 0 ? new RecorderHook(this.config, this.forward, (reason, key) => metrics.flushed(reason, key)) : undefined;
    const hooks: PolicyHook[] = [this.escalation, ...(this.recorder === undefined ? [] : [this.recorder]), metrics];
    this.onOpened = hooks.filter((h) => h.opened !== undefined);
    this.onDropped = hooks.filter((h) => h.dropped !== undefined);
    this.onBeforeForward = hooks.filter((h) => h.beforeForward !== undefined);
    this.onReleased = hooks.filter((h) => h.released !== undefined);
    this.tail = new TailKeeper(
      this.policy.tail,
      (record, context) => {
        this.counter.forwarded++;
        this.forward(record, context);
      },
      (state, key) => {
        state.countDrop(DROP.budget.index, key);
        this.counter.countDrop(DROP.budget.index, key);
      },
    );
    this.calls.onEvict = (state) => this.released(state);
    this.buildsInCalls = this.wantsBuildsInCalls();
    // While records below the floor may be built inside calls, no level is bound to a no-op up front.
    this.gate.fixed = !this.buildsInCalls;
    // The flight recorder keeps dropped records, so they must be built: then the facade does not decide first.
    if (this.recorder === undefined) this.gate.judge = { memo: () => new DropMemo(), prejudge: this.prejudge, settle: this.settle };
  }

  /**
   * Can a record of this scope and severity pass? Threshold only, no state, nothing counted, so a
   * record below it is never built. The key is unknown here (it may come from the body), so the
   * macro and DEBUG_TX exemptions are assumed possible. With the recorder on, records inside
   * calls are built whatever their level; in an escalated call, down to its development floor.
   */
  enabled(options: EnabledOptions): boolean {
    if (options.eventName === GATE_PROBE_EVENT && options.context instanceof GateProbe) {
      // A facade asks what it may bind as no-ops; false lets the SDK ask the provider's other processors.
      options.context.gates.push(this.gate);
      return false;
    }
    try {
      const scope = options.instrumentationScope.name;
      const severity = severityOf(options.severityNumber);
      if (severity < this.policy.scopeFloor(scope) && !(this.buildsInCalls && this.buildsInCall(scope, severity, options.context))) return false;
      return this.downstream.enabled === undefined || this.downstream.enabled(options);
    } catch {
      return true;
    }
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    const judged = this.prejudged;
    this.prejudged = undefined;
    // The call in the record's context, looked up once (a layer or two) for every use below.
    const running = callIn(context);
    if (heldForNaming(this, record, context, running)) return;
    try {
      if (judged !== undefined && judged.body === record.body && judged.scope === record.instrumentationScope.name) {
        // Decided before the record was built (the facade asked `prejudge`): seen and counted there.
        if (!this.finish(record, judged.facts, judged.outcome, context)) return;
      } else {
        this.counter.seen++;
        const facts = this.factsOf(record.attributes, record.eventName, record.body, record.instrumentationScope.name, record.severityNumber, running, true);
        const outcome = this.judge(facts, record.attributes, context, record);
        if (outcome === undefined || !this.finish(record, facts, outcome, context)) return;
      }
    } catch {
      // A policy bug must not cost the app its log line: forward unchanged, and count it.
      this.counter.internalErrors++;
    }
    this.counter.forwarded++;
    this.forward(record, context);
  }

  stats(): PolicyStats {
    const stats: PolicyStats = {
      ...this.counter.snapshot(this.calls.open, this.calls.evicted, this.calls.keys),
      tailSent: this.tail.sent,
      callsEscalated: this.escalation.open,
      recorder: this.recorder?.recorder.stats(),
    };
    if (this.exportStats !== undefined) stats.export = this.exportStats.snapshot();
    return stats;
  }

  forceFlush(): Promise<void> {
    return this.downstream.forceFlush();
  }

  shutdown(): Promise<void> {
    // Facades bound to this gate rebind: a shut-down provider passes nothing.
    this.gate.changed(false);
    return this.downstream.shutdown();
  }

  private factsOf(
    attributes: Attributes,
    eventName: string | undefined,
    body: AnyValue | undefined,
    scope: string,
    severityNumber: number | undefined,
    running: CallHandle | undefined,
    built: boolean,
    into: RecordFacts = blankFacts(),
  ): RecordFacts {
    const rawCall = ownCallId(attributes);
    const inRecord = typeof rawCall === 'string' || typeof rawCall === 'number';
    const callId = inRecord ? boundedCallId(String(rawCall)) : running?.id;
    // A long id is keyed (and exported) in the form startCall gives it, so its records still match its CALL_START.
    // (Only on a built record: before it is built the attributes are still the app's own object.)
    if (built && inRecord && callId !== rawCall && typeof rawCall === 'string') attributes[ATTR.callId] = callId;
    const rules = this.policy.rulesOfRecord(attributes, eventName, body);
    const key = rules.key;
    const logger = loggerNameOf(scope, attributes);
    const severity = severityOf(severityNumber);
    // A keyless record's template, unless the threshold drops it anyway (bridge records reach onEmit below it).
    const template = key === undefined && this.mayPassThreshold(logger, severity) ? templateFor(attributes, body) : undefined;
    into.callId = callId;
    into.callIdFromContext = !inRecord && callId !== undefined;
    into.key = key;
    into.template = template;
    into.rules = rules;
    into.logger = logger;
    into.severity = severity;
    into.isMacro = rules.macro;
    into.errorGroup = severity >= SeverityNumber.ERROR ? errorGroupOf(key, logger, attributes, body) : undefined;
    return into;
  }

  /**
   * Runs the rules for a record (built, or about to be: `record` undefined when the facade asks
   * first). A drop is counted here and returns undefined, unless the record must still be built
   * to be held in the call's tail; otherwise the outcome for {@link finish}.
   */
  private judge(facts: RecordFacts, attributes: Attributes, context: Context | undefined, record: ReadWriteLogRecord | undefined): Outcome | undefined {
    let state = facts.callId === undefined ? this.calls.outside : this.calls.peek(facts.callId);
    if (state?.ended === true) state = afterEnd(this.calls, this.counter, state, facts);
    const now = this.timeFor(state === undefined || facts.rules.rate >= 0 || facts.severity >= SeverityNumber.ERROR || facts.isMacro);
    state ??= this.calls.get(facts.callId!, now);
    const opened = state.produced === 0 && facts.callId !== undefined;
    if (opened) for (const hook of this.onOpened) hook.opened!(state, attributes, context);
    state.produced++;
    const verdict = decide(facts, state, now, state.escalated ? this.escalation.policy : this.policy);
    if (verdict.kind === 'drop') {
      if (verdict === DROP.budget && !state.ended && this.tail.wants(facts)) return { state, verdict, now, opened };
      this.lastDrop = verdict;
      this.countDropped(state, verdict, facts, record, context, facts.key === undefined ? -1 : state.dropRow(facts.key), this.counter.cellOf(facts.key));
      return undefined;
    }
    return { state, verdict, now, opened };
  }

  /**
   * The time for a record's rules. The clock is read only when something needs it: a rate limit,
   * the template limit, an error's repeat interval, a macro (CALL_END's duration), a new call, and
   * every 256th record for the TTL sweep.
   */
  private timeFor(needsClock: boolean): number {
    if (!needsClock && this.policy.templateLimit === undefined && (++this.sinceClock & 255) !== 0) return this.lastNow;
    const now = (this.lastNow = this.now());
    this.calls.sweep(now);
    return now;
  }

  /**
   * A record dropped: counted in its call (`row`, its key's row there: CallState.dropRow), in the
   * stats (`cell`: StatsCounter.cellOf), and told to the hooks. Small enough to be inlined into the
   * memo's path.
   */
  private countDropped(
    state: CallState,
    verdict: Drop,
    facts: RecordFacts,
    record: ReadWriteLogRecord | undefined,
    context: Context | undefined,
    row: number,
    cell: [number],
  ): void {
    state.countDropAt(verdict.index, row);
    this.counter.countDropIn(verdict.index, cell);
    let kept = false;
    for (const hook of this.onDropped) kept = hook.dropped!(record, context, facts, verdict.index, kept);
  }

  /**
   * A repeat of the drop `memo` holds, answered by the key's own rules against the call's state
   * now: the same running call, still open in the store, not escalated; a body with the same
   * `[TAG]` and no call or key attribute of its own (so the facts are the memo's). True: dropped and counted.
   */
  private repeatDropped(memo: DropMemo, running: CallHandle, body: string, attributes: Attributes, context: Context): boolean {
    const facts = memo.facts;
    const rules = facts.rules;
    if (!memo.opensWithTag(body) || ownCallId(attributes) !== undefined || ownLogKey(attributes) !== undefined) return false;
    const now = this.timeFor(rules.rate >= 0 || facts.isMacro);
    const state = this.calls.peek(running.id);
    const verdict = state === memo.state && state !== undefined && !state.ended && !state.escalated ? keyDrop(rules, state, now, this.policy) : undefined;
    if (verdict === undefined || state === undefined) {
      memo.forget();
      return false;
    }
    this.counter.seen++;
    state.produced++;
    this.countDropped(state, verdict, facts, undefined, context, memo.row, memo.cell);
    return true;
  }

  /** After a drop `prejudge` decided in full: keep it in the memo when its repeats can be answered from there. */
  private remember(memo: DropMemo, running: CallHandle | undefined, facts: RecordFacts, scope: string, body: string, attributes: Attributes, context: Context): void {
    const drop = this.lastDrop;
    if (drop !== DROP.once && drop !== DROP.rate_limit) return;
    if (running === undefined || !facts.callIdFromContext || facts.logger !== scope || !facts.rules.tag) return;
    if (!startsWithTag(body, facts.rules.key!) || ownLogKey(attributes) !== undefined) return;
    const state = this.calls.peek(running.id);
    if (state === undefined || state.escalated || state.ended) return;
    const row = state.dropRow(facts.rules.key!);
    // A key counted in the overflow row may get its own row once room is given back: the full path finds it then.
    if (state.droppedByKey![row] === OVERFLOW_KEY) return;
    memo.running = running;
    // Only a context that holds the call itself names it (the package's own storage is read past it).
    memo.context = context.getValue(CALL_ID_KEY) === running ? context : undefined;
    memo.state = state;
    if (memo.facts.rules !== facts.rules) memo.tag = Array.from(`[${facts.rules.key}]`, (c) => c.charCodeAt(0));
    Object.assign(memo.facts, facts);
    memo.row = row;
    memo.cell = this.counter.cellOf(facts.rules.key);
  }

  /** Applies a verdict that needs the record: the tail's hold, or the stamps of a record that passes. False: not forwarded now. */
  private finish(record: ReadWriteLogRecord, facts: RecordFacts, outcome: Outcome, context: Context | undefined): boolean {
    const { state, verdict, now, opened } = outcome;
    if (opened && state.escalatedBy !== undefined) record.setAttribute(ESCALATED_ATTRIBUTE, state.escalatedBy);
    if (verdict.kind === 'drop') {
      this.tail.hold(state, facts, record, context);
      return false;
    }
    if (verdict.kind === 'downgrade') {
      this.counter.downgraded++;
      applyDowngrade(record, verdict, facts);
    } else if (verdict.kind === 'counted') {
      applyCounted(record, verdict);
    }
    state.forwarded++;
    stampPassing(record, facts);
    if (facts.callId !== undefined) for (const hook of this.onBeforeForward) hook.beforeForward!(state, facts);
    if (facts.isMacro && facts.key === 'CALL_END' && facts.callId !== undefined && !state.ended) {
      this.calls.end(facts.callId);
      this.tail.flush(state);
      this.released(state);
      stampCallEnd(record, state, now);
    }
    return true;
  }

  /**
   * The facade's way in (see PolicyGate.prejudge): decides a record before the SDK builds it, so
   * that a dropped one costs no record at all. True: emit it; its outcome waits for its `onEmit`
   * (the very next one, synchronously inside `Logger.emit`; `settle()` forgets it otherwise).
   */
  private readonly prejudge = (scope: string, severityNumber: number, body: string, attributes: Attributes | undefined, memo: DropMemo): boolean => {
    try {
      const attrs = attributes ?? NO_ATTRIBUTES;
      const context = this.activeContext.read();
      // The context of the memo's drop (contexts are immutable): the same call, without looking it up.
      const running = context === memo.context ? memo.running : callIn(context);
      if (awaitsName(running)) return true; // built and held by its call until it is named
      if (running !== undefined && memo.running === running && this.repeatDropped(memo, running, body, attrs, context)) return false;
      // Most records asked about here are dropped: their facts go in a scratch object, copied only when the record goes on.
      const facts = this.factsOf(attrs, undefined, body, scope, severityNumber, running, false, this.scratchFacts);
      this.counter.seen++;
      this.lastDrop = undefined;
      const outcome = this.judge(facts, attrs, context, undefined);
      if (outcome === undefined) {
        this.remember(memo, running, facts, scope, body, attrs, context);
        return false;
      }
      this.prejudged = { body, scope, facts: Object.assign(blankFacts(), facts), outcome };
      return true;
    } catch {
      // Undecided: emit it, and onEmit decides as for any record.
      this.prejudged = undefined;
      return true;
    }
  };

  private readonly settle = (): void => {
    this.prejudged = undefined;
  };

  /** Can a keyless record of this logger and severity pass its threshold (in any call, escalated ones included)? */
  private mayPassThreshold(logger: string, severity: number): boolean {
    return severity >= SeverityNumber.WARN || severity >= this.policy.thresholdOf(logger) || (this.escalation.open > 0 && severity >= this.escalation.policy.thresholdOf(logger));
  }

  private released(state: CallState): void {
    this.tail.discard(state);
    for (const hook of this.onReleased) hook.released!(state);
  }

  /** Below the floor, inside a call: do the recorder or the call's escalation want the record built? */
  private buildsInCall(scope: string, severity: number, context: Context): boolean {
    const id = callIdIn(context);
    if (id === undefined) return false;
    if (this.recorder !== undefined) return true;
    return this.escalation.buildsInCall(id, this.calls.peek(id), scope, severity);
  }

  private wantsBuildsInCalls(): boolean {
    return this.recorder !== undefined || this.escalation.buildsInCalls;
  }

  /** Escalated calls came or went: `enabled()` and the facades' gate follow. */
  private syncBuildsInCalls(): void {
    const builds = this.wantsBuildsInCalls();
    if (builds === this.buildsInCalls) return;
    this.buildsInCalls = builds;
    this.gate.changed(!builds);
  }

  /** The one way downstream, for records that pass and for those the recorder flushes. */
  private readonly forward = (record: ReadWriteLogRecord, context: Context | undefined): void => {
    try {
      this.downstream.onEmit(record, context);
    } catch {
      this.counter.downstreamErrors++;
    }
  };
}
