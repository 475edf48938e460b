import { TPL, type CallState } from '../../state/CallState.ts';
import type { TemplateLimit } from '../../config/policyConfig.ts';

/**
 * The default limit of repeated keys and templates (per call; per process outside calls): the
 * first `burst` pass, then at most one per interval. The chance is taken when the limit lets a
 * record through, even if the budget then drops it, so frame spam past the budget is dropped
 * here rather than flooding the call's tail. True: drop it (and count it as suppressed).
 */
export function templateLimited(state: CallState, at: number, limit: TemplateLimit, now: number): boolean {
  const row = state.templates!;
  const passes = row[at + TPL.passes] as number;
  if (passes < limit.burst) {
    row[at + TPL.passes] = passes + 1;
    row[at + TPL.lastPass] = now;
    return false;
  }
  if (now - (row[at + TPL.lastPass] as number) < limit.intervalMs) {
    row[at + TPL.pending] = (row[at + TPL.pending] as number) + 1;
    row[at + TPL.suppressed] = (row[at + TPL.suppressed] as number) + 1;
    return true;
  }
  row[at + TPL.lastPass] = now;
  return false;
}

/** The record passed every rule: how many of its kind were suppressed since the last one forwarded (reset to 0). */
export function takeSuppressed(state: CallState, at: number): number {
  const row = state.templates!;
  const pending = row[at + TPL.pending] as number;
  row[at + TPL.pending] = 0;
  return pending;
}

/** Rule 8b: one key or template may spend at most `cap` of the call's budget, so frame spam cannot spend it all. */
export function overShare(state: CallState, at: number, cap: number): boolean {
  return (state.templates![at + TPL.spent] as number) >= cap;
}

export function spendShare(state: CallState, at: number): void {
  const row = state.templates!;
  row[at + TPL.spent] = (row[at + TPL.spent] as number) + 1;
}
