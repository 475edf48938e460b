import { callIdIn } from './context.ts';

/**
 * Per-call storage for helpers that live outside the processor (RateLimiter, OncePerCall): one
 * slot per owner per call, freed when the call's scope ends. Bounded: beyond `MAX_CALLS` the
 * oldest call's slots go (a call that never ends cannot grow this for ever).
 */
const MAX_CALLS = 50_000;
const outside = new Map<object, unknown>();
const byCall = new Map<string, Map<object, unknown>>();

/** The slot of `owner` in the current call (or outside any call), created by `init` on first use. */
export function callLocal<T>(owner: object, init: () => T): T {
  const id = callIdIn(undefined);
  let slots = id === undefined ? outside : byCall.get(id);
  if (slots === undefined) {
    if (byCall.size >= MAX_CALLS) byCall.delete(byCall.keys().next().value!);
    slots = new Map();
    byCall.set(id!, slots);
  }
  let value = slots.get(owner) as T | undefined;
  if (value === undefined) {
    value = init();
    slots.set(owner, value);
  }
  return value;
}

export function releaseCall(id: string): void {
  byCall.delete(id);
}
