import type { Attributes } from '@opentelemetry/api';
import { DROP_STRIDE, TEMPLATE_STRIDE, TPL, type CallState } from '../state/CallState.ts';
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
    [ATTR.suppressedTemplates]: topSuppressed(state),
    [ATTR.tailCount]: state.tailSent,
  };
}

/** Keys and templates the template limit suppressed most in this call, most first. */
export const TOP_SUPPRESSED = 5;

/**
 * `["2997 Received media message with timestamp: <n>", …]`: a list of strings rather than a map,
 * because templates are the app's text and the redaction step redacts values, not map keys.
 */
function topSuppressed(state: CallState): string[] {
  const table = state.templates ?? [];
  const rows: [string, number][] = [];
  for (let i = 0; i < table.length; i += TEMPLATE_STRIDE) {
    const n = table[i + TPL.suppressed] as number;
    if (n > 0) rows.push([table[i] as string, n]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  return rows.slice(0, TOP_SUPPRESSED).map(([template, n]) => `${n} ${template}`);
}

function droppedByKey(state: CallState): Record<string, number> {
  const table = state.droppedByKey ?? [];
  const out: Record<string, number> = {};
  for (let i = 0; i < table.length; i += DROP_STRIDE) out[table[i] as string] = table[i + 1] as number;
  return out;
}
