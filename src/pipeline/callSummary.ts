import type { Attributes } from '@opentelemetry/api';
import { DROP_STRIDE, type CallState } from '../state/CallState.ts';
import { ATTR } from '../policy/attributes.ts';
import { DROP_REASONS } from '../policy/verdict.ts';

/** The attributes stamped on CALL_END: how long the call took and what the policy removed from it. */
export function callSummary(state: CallState, now: number): Attributes {
  const byReason: Record<string, number> = {};
  if (state.droppedByReason !== undefined) {
    DROP_REASONS.forEach((reason, i) => {
      const n = state.droppedByReason![i] ?? 0;
      if (n > 0) byReason[reason] = n;
    });
  }
  return {
    [ATTR.durationMs]: Math.round(now - state.startedAt),
    [ATTR.droppedCount]: state.dropped,
    [ATTR.producedCount]: state.produced,
    [ATTR.forwardedCount]: state.forwarded,
    // Maps are valid OTLP attribute values (kvlist); the Attributes type does not say so.
    [ATTR.droppedByKey]: droppedByKey(state) as unknown as string,
    [ATTR.droppedByReason]: byReason as unknown as string,
  };
}

function droppedByKey(state: CallState): Record<string, number> {
  const table = state.droppedByKey ?? [];
  const out: Record<string, number> = {};
  for (let i = 0; i < table.length; i += DROP_STRIDE) out[table[i] as string] = table[i + 1] as number;
  return out;
}
