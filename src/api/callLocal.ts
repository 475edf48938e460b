import { DEFAULT_MAX_KEYS_PER_CALL } from '../config/defaults.ts';
import { KeyBudget, OVERFLOW_KEY } from '../state/KeyBudget.ts';
import { callIdIn } from '../state/callContext.ts';
import { keysIn, rowOf, withRow, type FlatTable } from '../state/flatTable.ts';

/**
 * Per-call values for helpers that live outside the processor (RateLimiter, OncePerCall): each
 * owner's keys in the current call (or outside any call), freed when the call's scope ends. A call
 * holds one flat table of owners, each owner one flat table of `[key, value]` rows (see
 * flatTable.ts: 10,000 open calls must stay small). Bounded: beyond `MAX_CALLS` the oldest call's
 * values go, and `helperKeys` caps the keys per call and across calls.
 */
const MAX_CALLS = 50_000;
/** Helper keys across every call together (each helper also caps its keys per call, 64 by default). */
export const HELPER_KEYS_TOTAL = 100_000;
export const helperKeys = new KeyBudget(DEFAULT_MAX_KEYS_PER_CALL, HELPER_KEYS_TOTAL);

let outside: FlatTable | undefined;
const byCall = new Map<string, FlatTable>();

function ownersIn(id: string | undefined): FlatTable | undefined {
  return id === undefined ? outside : byCall.get(id);
}

function entriesOf(owners: FlatTable | undefined, owner: object): FlatTable | undefined {
  const at = rowOf(owners, owner, 2);
  return at < 0 ? undefined : (owners![at + 1] as FlatTable);
}

/** `owner`'s value for `key` in the current call, if any. */
export function callValue(owner: object, key: string): unknown {
  const entries = entriesOf(ownersIn(callIdIn(undefined)), owner);
  const at = rowOf(entries, key, 2);
  return at < 0 ? undefined : entries![at + 1];
}

/**
 * Sets `owner`'s value for `key` in the current call. A new key takes room from `helperKeys` (at
 * most `maxKeys` per owner per call); without room nothing is stored and false is returned, so the
 * caller falls back to the overflow slot, which is always stored.
 */
export function setCallValue(owner: object, key: string, value: unknown, maxKeys: number): boolean {
  const id = callIdIn(undefined);
  let owners = ownersIn(id);
  const entries = entriesOf(owners, owner);
  const at = rowOf(entries, key, 2);
  if (at >= 0) {
    entries![at + 1] = value;
    return true;
  }
  if (key !== OVERFLOW_KEY && !helperKeys.admit(keysIn(entries, 2), maxKeys)) return false;
  const grown = withRow(entries, [key, value]);
  const ownerAt = rowOf(owners, owner, 2);
  if (ownerAt >= 0) {
    owners![ownerAt + 1] = grown;
    return true;
  }
  if (owners === undefined && id !== undefined && byCall.size >= MAX_CALLS) releaseCall(byCall.keys().next().value!);
  owners = withRow(owners, [owner, grown]);
  if (id === undefined) outside = owners;
  else byCall.set(id, owners);
  return true;
}

export function releaseCall(id: string): void {
  const owners = byCall.get(id);
  if (owners === undefined) return;
  for (let i = 1; i < owners.length; i += 2) helperKeys.giveBack(keysIn(owners[i] as FlatTable, 2));
  byCall.delete(id);
}
