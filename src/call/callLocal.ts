import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';
import { KeyBudget } from './boundedKeys.ts';
import { callIdIn } from './context.ts';

/**
 * Per-call storage for helpers that live outside the processor (RateLimiter, OncePerCall): one
 * keyed collection per owner per call, freed when the call's scope ends. Bounded: beyond
 * `MAX_CALLS` the oldest call's collections go (a call that never ends cannot grow this for
 * ever), and `helperKeys` caps the keys in them, per call and across calls.
 */
const MAX_CALLS = 50_000;
/** Helper keys across every call together (each helper also caps its keys per call, 64 by default). */
export const HELPER_KEYS_TOTAL = 100_000;
export const helperKeys = new KeyBudget(DEFAULT_MAX_KEYS_PER_CALL, HELPER_KEYS_TOTAL);

type Keyed = Map<string, unknown> | Set<string>;
const outside = new Map<object, Keyed>();
const byCall = new Map<string, Map<object, Keyed>>();

/** The collection of `owner` in the current call (or outside any call), created by `init` on first use. */
export function callLocal<T extends Keyed>(owner: object, init: () => T): T {
  const id = callIdIn(undefined);
  let slots = id === undefined ? outside : byCall.get(id);
  if (slots === undefined) {
    if (byCall.size >= MAX_CALLS) releaseCall(byCall.keys().next().value!);
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
  const slots = byCall.get(id);
  if (slots === undefined) return;
  for (const keyed of slots.values()) helperKeys.release(keyed);
  byCall.delete(id);
}
