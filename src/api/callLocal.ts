import { OVERFLOW_KEY } from '../state/KeyBudget.ts';
import { callIn } from '../state/callContext.ts';
import { keysIn, rowOf, withRow, type FlatTable } from '../state/flatTable.ts';

/**
 * Per-call values of the helpers that live outside the processor (RateLimiter, OncePerCall). A
 * call keeps them itself (its handle's `locals`: one flat table of owners, each owner a flat table
 * of `[key, value]` rows), so they go when the call goes; outside any call each helper keeps its
 * own table. Nothing is kept here. Bounded: at most `maxKeys` keys per owner per call.
 */
export interface LocalOwner {
  /** The owner's values outside any call. */
  outside: FlatTable | undefined;
}

function entriesOf(owner: LocalOwner): FlatTable | undefined {
  const call = callIn(undefined);
  if (call === undefined) return owner.outside;
  const at = rowOf(call.locals, owner, 2);
  return at < 0 ? undefined : (call.locals![at + 1] as FlatTable);
}

/** `owner`'s value for `key` in the current call, if any. */
export function callValue(owner: LocalOwner, key: string): unknown {
  const entries = entriesOf(owner);
  const at = rowOf(entries, key, 2);
  return at < 0 ? undefined : entries![at + 1];
}

/**
 * Sets `owner`'s value for `key` in the current call. A new key needs room (at most `maxKeys`
 * per owner per call); without room nothing is stored and false is returned, so the caller falls
 * back to the overflow slot, which is always stored.
 */
export function setCallValue(owner: LocalOwner, key: string, value: unknown, maxKeys: number): boolean {
  const call = callIn(undefined);
  const ownerAt = call === undefined ? -1 : rowOf(call.locals, owner, 2);
  const entries = call === undefined ? owner.outside : ownerAt < 0 ? undefined : (call.locals![ownerAt + 1] as FlatTable);
  const at = rowOf(entries, key, 2);
  if (at >= 0) {
    entries![at + 1] = value;
    return true;
  }
  if (key !== OVERFLOW_KEY && keysIn(entries, 2) >= maxKeys) return false;
  const grown = withRow(entries, [key, value]);
  if (call === undefined) owner.outside = grown;
  else if (ownerAt >= 0) call.locals![ownerAt + 1] = grown;
  else call.locals = withRow(call.locals, [owner, grown]);
  return true;
}
