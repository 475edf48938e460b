import { createHash } from 'node:crypto';

/**
 * Strings the package keeps beyond one record (cache keys, call ids, keys in per-call tables) must
 * cost their own length. V8 makes a slice or substring of 13 characters or more a view into its
 * parent, so a 64-character key cut from a 1 MB body keeps the whole megabyte alive for as long as
 * the key is kept. These helpers live in config, the bottom layer, because every layer keeps such
 * strings (config's LOG_POLICY_VERBOSE_CALLS included).
 */

/** A copy of `text` that shares no memory with the string it was cut from. */
export function ownCopy(text: string): string {
  // The concatenation is flattened into a new string before the slice is taken, so the result
  // points into that copy (length + 1), never into `text`'s parent.
  return ` ${text}`.slice(1);
}

/** Longest string `internedCopy` interns. */
const INTERNED_MAX = 256;

/**
 * `ownCopy`, interned: for the few strings the hot path compares again and again (cached keys and
 * logger names, call ids). V8 compares a slice (what `ownCopy` of 13+ characters is) character by
 * character in its runtime, ~80 ns a time; two interned strings compare by pointer. Interning costs
 * a few µs, so it is kept for strings that are cached or live as long as a call. V8's string table
 * is weak: an interned string nobody holds is collected.
 */
export function internedCopy(text: string): string {
  if (text.length > INTERNED_MAX) return ownCopy(text);
  // A property name of a dictionary-mode object is interned, and adds no hidden class.
  const holder: Record<string, number> = Object.create(null);
  holder[text] = 0;
  for (const name in holder) return name;
  return ownCopy(text);
}

/** At most `max` characters of `text`, in a string of their own. */
export function ownHead(text: string, max: number): string {
  return ownCopy(text.length > max ? text.slice(0, max) : text);
}

/** Call ids up to this length are kept as they are. */
export const MAX_CALL_ID_LENGTH = 128;
/** A longer id keeps this many characters, then `#` and this many hex digits of its SHA-256. */
export const CALL_ID_HEAD = 64;
export const CALL_ID_HASH_HEX = 12;

/**
 * A call id the policy can key state by: ids of at most 128 characters as they are; longer ones
 * (an id built from a websocket URL, say) as their first 64 characters, `#` and the first 12 hex
 * digits of the SHA-256 of the whole id, 77 characters that still tell two long ids apart. Short
 * ids are returned as given (not copied: copy with `keptCallId` where the id is kept).
 */
export function boundedCallId(id: string): string {
  if (id.length <= MAX_CALL_ID_LENGTH) return id;
  const digest = createHash('sha256').update(id).digest('hex').slice(0, CALL_ID_HASH_HEX);
  return ownCopy(`${id.slice(0, CALL_ID_HEAD)}#${digest}`);
}

/**
 * `boundedCallId` for an id that will be kept (a call scope, a call's state): always its own copy.
 * Anything but a string or a finite number (a JavaScript caller's mistake) becomes one shared id
 * rather than a throw.
 */
export function keptCallId(id: unknown): string {
  if (typeof id === 'string') return id.length <= MAX_CALL_ID_LENGTH ? internedCopy(id) : boundedCallId(id);
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : INVALID_CALL_ID;
}

/** The id of calls started with an id that is neither a string nor a number. */
export const INVALID_CALL_ID = '(invalid call id)';
