import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { CallState } from '../../state/CallState.ts';
import type { CallStore } from '../../state/CallStore.ts';
import { callIdIn } from '../../state/callContext.ts';
import { ESCALATED_ATTRIBUTE, escalatedConfig, escalationOf } from './escalation.ts';
import type { PolicyConfig } from '../../config/policyConfig.ts';
import type { PolicyGate } from '../PolicyGate.ts';
import { OUTCOME, PolicyMetrics } from './PolicyMetrics.ts';
import { ATTR } from '../../policy/attributes.ts';
import type { RecordFacts } from '../../policy/facts.ts';
import type { RecordedEntry } from './recorder/CallRing.ts';
import { FlightRecorder } from './recorder/FlightRecorder.ts';
import { CompiledPolicy } from '../../policy/CompiledPolicy.ts';
import { DROP } from '../../policy/verdict.ts';
import type { StatsCounter } from '../StatsCounter.ts';

export interface DebugHost {
  readonly config: PolicyConfig;
  readonly downstream: LogRecordProcessor;
  readonly counter: StatsCounter;
  readonly calls: CallStore;
  /** The processor's gate: its answers stop being fixed while escalated calls are open. */
  readonly gate: PolicyGate;
}

/**
 * What the processor does to debug one call without logging all of them: the flight recorder,
 * per-call escalation and the policy's own metrics. Kept beside the processor so that its hot
 * path meets each feature as one boolean while the feature is off.
 */
export class DebugFeatures {
  /** What escalated calls are held to: development thresholds, no budget. */
  readonly escalatedPolicy: CompiledPolicy;
  /** Undefined unless LOG_POLICY_RECORDER is set. */
  readonly recorder: FlightRecorder | undefined;
  readonly metrics: PolicyMetrics;
  escalatedOpen = 0;
  /** Records below the floor may still be built inside calls: the recorder is on, or an escalated call is open or listed. */
  buildsInCalls: boolean;
  /** A dropped record has somewhere to go: the recorder is on or a MeterProvider is registered. */
  watchesDrops: boolean;
  private readonly host: DebugHost;

  constructor(host: DebugHost) {
    this.host = host;
    const { recorder: records, recorderBytes: bytesPerCall, recorderTotalBytes: totalBytes } = host.config;
    this.escalatedPolicy = new CompiledPolicy(escalatedConfig(host.config));
    this.recorder = records > 0 ? new FlightRecorder({ records, bytesPerCall, totalBytes }) : undefined;
    this.buildsInCalls = this.wantsBuildsInCalls();
    this.metrics = new PolicyMetrics({
      passed: () => host.counter.forwarded,
      callsOpen: () => host.calls.open,
      callsEscalated: () => this.escalatedOpen,
    });
    this.watchesDrops = this.recorder !== undefined;
    this.attachMetrics();
  }

  /** Below the floor: is the record inside a call that the recorder or escalation wants built? */
  buildsInCall(scope: string, severity: number, context: Context): boolean {
    const id = callIdIn(context);
    if (id === undefined) return false;
    if (this.recorder !== undefined) return true;
    // A call listed in LOG_POLICY_VERBOSE_CALLS is escalated before its first record is seen.
    const escalated = this.host.calls.peek(id)?.escalated ?? this.host.config.verboseCalls.has(id);
    return escalated && severity >= this.escalatedPolicy.scopeFloor(scope);
  }

  /** First record of a call: is it escalated? And follow a MeterProvider registered since the last call. */
  opened(state: CallState, record: ReadWriteLogRecord, context: Context | undefined): void {
    this.attachMetrics();
    const route = escalationOf(state.id!, record.attributes, context, this.host.config);
    if (route === undefined) return;
    state.escalated = true;
    record.setAttribute(ESCALATED_ATTRIBUTE, route);
    this.escalatedOpen++;
    this.syncBuildsInCalls();
  }

  /** The call ended or was evicted: its escalation and kept records go with it. */
  released(state: CallState): void {
    if (state.escalated) {
      state.escalated = false;
      this.escalatedOpen--;
      this.syncBuildsInCalls();
    }
    this.recorder?.discard(state.id!);
  }

  /** A dropped record: the recorder keeps it (repeated errors aside) and the metrics count it. */
  afterDrop(record: ReadWriteLogRecord, context: Context | undefined, facts: RecordFacts, reasonIndex: number): void {
    const keeps = this.recorder !== undefined && facts.callId !== undefined && reasonIndex !== DROP.repeat.index;
    // The processor stamps call.id only on records that pass; a kept one may pass later, so it needs it now.
    if (keeps && facts.callIdFromContext) record.setAttribute(ATTR.callId, facts.callId!);
    const kept = keeps && this.recorder!.keep(facts.callId!, record, context, reasonIndex, facts.key);
    if (this.metrics.active) this.metrics.count(kept ? OUTCOME.recorded : OUTCOME.dropped, reasonIndex, facts.key);
  }

  /**
   * Before a record of a call is forwarded: an ERROR/FATAL or SERVER_ERROR (LOG_POLICY_RECORDER_FLUSH_ON)
   * sends the call's kept records downstream first, oldest first; once a call has failed, what it
   * kept since goes out before its CALL_END. A clean CALL_END discards them (in `released`).
   */
  beforeForward(state: CallState, facts: RecordFacts): void {
    const { recorderFlushSeverity, recorderFlushKeys } = this.host.config;
    if (facts.severity >= recorderFlushSeverity || (facts.key !== undefined && recorderFlushKeys.has(facts.key))) state.failed = true;
    else if (facts.key !== 'CALL_END' || !state.failed) return;
    this.recorder!.flush(facts.callId!, this.emitRecorded);
  }

  private readonly emitRecorded = (entry: RecordedEntry): void => {
    if (this.metrics.active) this.metrics.count(OUTCOME.flushed, entry.reasonIndex, entry.key);
    try {
      this.host.downstream.onEmit(entry.record, entry.context);
    } catch {
      this.host.counter.downstreamErrors++;
    }
  };

  private attachMetrics(): void {
    this.metrics.attach();
    this.watchesDrops = this.recorder !== undefined || this.metrics.active;
  }

  private wantsBuildsInCalls(): boolean {
    return this.recorder !== undefined || this.escalatedOpen > 0 || this.host.config.verboseCalls.size > 0;
  }

  private syncBuildsInCalls(): void {
    const builds = this.wantsBuildsInCalls();
    if (builds === this.buildsInCalls) return;
    this.buildsInCalls = builds;
    this.host.gate.changed(!builds);
  }
}
