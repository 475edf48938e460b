import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { PolicyConfig } from '../../config/policyConfig.ts';
import { ATTR } from '../../policy/attributes.ts';
import type { RecordFacts } from '../../policy/facts.ts';
import { DROP } from '../../policy/verdict.ts';
import type { CallState } from '../../state/CallState.ts';
import type { RecordedEntry } from './recorder/CallRing.ts';
import { FlightRecorder } from './recorder/FlightRecorder.ts';
import type { Forward, PolicyHook } from './PolicyHook.ts';

/**
 * The flight recorder as a hook: a call's dropped records are kept (repeated errors aside); an
 * ERROR/FATAL or a LOG_POLICY_RECORDER_FLUSH_ON key sends them downstream first, oldest first, and
 * what a failed call keeps since goes out before its CALL_END; a clean end discards them.
 */
export class RecorderHook implements PolicyHook {
  readonly recorder: FlightRecorder;
  private readonly config: PolicyConfig;
  private readonly forward: Forward;
  private readonly onFlushed: (entry: RecordedEntry) => void;

  constructor(config: PolicyConfig, forward: Forward, onFlushed: (reasonIndex: number, key: string | undefined) => void) {
    this.config = config;
    this.recorder = new FlightRecorder({ records: config.recorder, bytesPerCall: config.recorderBytes, totalBytes: config.recorderTotalBytes });
    this.forward = forward;
    this.onFlushed = (entry) => {
      onFlushed(entry.reasonIndex, entry.key);
      this.forward(entry.record, entry.context);
    };
  }

  dropped(record: ReadWriteLogRecord | undefined, context: Context | undefined, facts: RecordFacts, reasonIndex: number, kept: boolean): boolean {
    // With the recorder on, the facade does not decide before building: every drop comes with its record.
    if (kept || record === undefined || facts.callId === undefined || reasonIndex === DROP.repeat.index) return kept;
    // The processor stamps call.id only on records that pass; a kept one may pass later, so it needs it now.
    if (facts.callIdFromContext) record.setAttribute(ATTR.callId, facts.callId);
    return this.recorder.keep(facts.callId, record, context, reasonIndex, facts.key);
  }

  beforeForward(call: CallState, facts: RecordFacts): void {
    if (facts.callId === undefined) return;
    const { recorderFlushSeverity, recorderFlushKeys } = this.config;
    if (facts.severity >= recorderFlushSeverity || (facts.key !== undefined && recorderFlushKeys.has(facts.key))) call.failed = true;
    else if (facts.key !== 'CALL_END' || !call.failed) return;
    this.recorder.flush(facts.callId, this.onFlushed);
  }

  released(call: CallState): void {
    this.recorder.discard(call.id!);
  }
}
