import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { Forward } from './PolicyHook.ts';
import type { CallState } from '../../state/CallState.ts';
import { CallTail } from '../../state/CallTail.ts';
import { ATTR } from '../../policy/attributes.ts';
import type { RecordFacts } from '../../policy/facts.ts';

/**
 * The end of a call survives its budget: records past the live budget are held in the call's
 * ring (the last `capacity`), and sent just before its CALL_END through the processor's forward
 * path. A record pushed out of the ring, or left in it when the call is evicted, is dropped then
 * and counted under `budget`; until then it is neither forwarded nor dropped.
 */
export class TailKeeper {
  readonly capacity: number;
  private readonly forward: Forward;
  private readonly dropped: (state: CallState, key: string | undefined) => void;
  /** Records sent before a CALL_END, across calls. */
  sent = 0;

  /** `forward`: the processor's one path downstream; `dropped`: counts a record dropped for good (under `budget`). */
  constructor(capacity: number, forward: Forward, dropped: (state: CallState, key: string | undefined) => void) {
    this.capacity = capacity;
    this.forward = forward;
    this.dropped = dropped;
  }

  /** Would a record the budget dropped be held? Not outside calls, nor with LOG_POLICY_CALL_TAIL=0. */
  wants(facts: RecordFacts): boolean {
    return this.capacity > 0 && facts.callId !== undefined;
  }

  /** Holds a record the budget dropped; false when there is no tail (see {@link wants}). */
  hold(state: CallState, facts: RecordFacts, record: ReadWriteLogRecord, context: Context | undefined): boolean {
    if (!this.wants(facts)) return false;
    // The record is writable only now, inside onEmit: stamp what a passing record gets.
    if (facts.callIdFromContext) record.attributes[ATTR.callId] = facts.callId;
    if (facts.template !== undefined && record.droppedAttributesCount === 0) record.attributes[ATTR.template] = facts.template;
    record.attributes[ATTR.tail] = true;
    const out = (state.tail ??= new CallTail(this.capacity)).push({ record, context, key: facts.key });
    if (out !== undefined) this.dropped(state, out.key);
    return true;
  }

  /** At CALL_END, before it is forwarded: the held records, oldest first. */
  flush(state: CallState): void {
    if (state.tail === undefined) return;
    const entries = state.tail.drain();
    state.tail = undefined;
    state.tailSent += entries.length;
    state.forwarded += entries.length;
    this.sent += entries.length;
    for (const entry of entries) this.forward(entry.record, entry.context);
  }

  /** The call was evicted without a CALL_END: what it held is dropped. */
  discard(state: CallState): void {
    if (state.tail === undefined) return;
    for (const entry of state.tail.drain()) this.dropped(state, entry.key);
    state.tail = undefined;
  }
}
