import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { RecordFacts } from '../../policy/facts.ts';
import type { CallState } from '../../state/CallState.ts';

/**
 * What the processor tells the features that debug one call without logging all of them
 * (escalation, the flight recorder, the policy's metrics). The processor calls each event in the
 * order the hooks were given, and only for hooks that define it, so a feature that is off costs
 * nothing on the path of a record. A hook never forwards by itself: it asks the processor's
 * `forward` (given at construction), so every record downstream takes the one path.
 */
export interface PolicyHook {
  /** The first record of a call (CALL_START when the app uses startCall), by its attributes: it may not be built yet. */
  opened?(call: CallState, attributes: Attributes, context: Context | undefined): void;
  /**
   * A record the policy dropped; `kept` says whether an earlier hook kept it. Returns whether this
   * one (or an earlier one) kept it. `record` is undefined when it was dropped before it was built
   * (the facade decides first unless the flight recorder, which keeps records, is on).
   */
  dropped?(record: ReadWriteLogRecord | undefined, context: Context | undefined, facts: RecordFacts, reasonIndex: number, kept: boolean): boolean;
  /** A record of a call about to be forwarded (after the policy's stamps). */
  beforeForward?(call: CallState, facts: RecordFacts): void;
  /** A kept record was forwarded after all (the recorder flushed it). */
  flushed?(reasonIndex: number, key: string | undefined): void;
  /** The call ended or was evicted: what the hook holds for it goes. */
  released?(call: CallState): void;
}

/** Forwards one record downstream through the processor's single path. */
export type Forward = (record: ReadWriteLogRecord, context: Context | undefined) => void;
