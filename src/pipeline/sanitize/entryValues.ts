import { types } from 'node:util';
import type { Attributes } from '@opentelemetry/api';
import { ATTR } from '../../policy/attributes.ts';
import { plainEnough, UNREADABLE, UNSAFE_KEYS, Walker, type SafeCounts } from './safeValue.ts';

/**
 * What the package's entry points (the getLogger facade, the call scope, console capture) hand the
 * SDK. The SDK checks attribute values while it builds the record, before any processor runs, and
 * that check throws on a value nested a few thousand deep, a getter that throws or a revoked Proxy,
 * and lets an own `__proto__` key replace the prototype of the record's attribute map. So values
 * are made safe here, with the same walk the sanitizing processor gives bodies, and the processor
 * cuts them to the configured caps later.
 */

/**
 * Each value is held to this many characters here (strings included): far above the default
 * caps (LOG_POLICY_MAX_ATTRIBUTE 4,096), so what the exporting chain cuts stays its business.
 */
export const ENTRY_MAX_CHARS = 1 << 20;

/** Are all of `o`'s own values plain, its keys safe, and `o` no Proxy (whose answers may change on the SDK's read)? */
function plainAttributes(o: object): boolean {
  if (types.isProxy(o)) return false;
  try {
    for (const k of Object.keys(o)) {
      if (UNSAFE_KEYS.has(k) || !plainEnough((o as Record<string, unknown>)[k], ENTRY_MAX_CHARS)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * `attributes` as the SDK can take them without throwing: returned as they are when every value
 * is a plain string (up to 1 Mi characters), number or boolean and no key is unsafe (the common
 * case: no copy); otherwise a plain copy of the own enumerable entries, each made safe (depth 8,
 * 1,000 entries, getters and Proxies that throw replaced, symbols and functions dropped, cycles
 * cut), `__proto__`/`constructor`/`prototype` keys dropped. A copy that differs carries
 * `log.sanitized_count`, the number of changes, which the sanitizing processor adds to
 * `stats().export.entrySanitized`. Never throws.
 */
export function safeAttributes(attributes: Attributes | undefined): Attributes | undefined {
  if (attributes === undefined || attributes === null) return undefined;
  const isObject = typeof attributes === 'object';
  if (isObject && plainAttributes(attributes)) return attributes;
  const counts: SafeCounts = { truncated: 0, replaced: 0, unsafeKeys: 0 };
  const out = isObject ? new Walker(ENTRY_MAX_CHARS, ENTRY_MAX_CHARS, counts).entries(attributes, ENTRY_MAX_CHARS) : {};
  const changed = counts.truncated + counts.replaced + counts.unsafeKeys + (isObject ? 0 : 1);
  if (changed > 0) out[ATTR.sanitizedCount] = changed;
  return out as Attributes;
}

/** The exception fields the SDK reads to stamp `exception.type`, `exception.message` and `exception.stacktrace`. */
const EXCEPTION_FIELDS = ['code', 'name', 'message', 'stack'] as const;

function plainField(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * An exception the SDK can read without throwing: strings, numbers and readable errors as they
 * are; an object whose fields throw, are Proxies or are no plain values becomes a plain copy of
 * those four fields (made safe like attribute values, an unreadable one `[unreadable]`); a symbol
 * becomes its description. Not counted: the record's exception attributes show what was read.
 */
export function safeException(exception: unknown): unknown {
  if (exception === undefined || exception === null) return exception;
  const kind = typeof exception;
  if (kind === 'symbol') return String(exception);
  if (kind !== 'object' && kind !== 'function') return exception;
  let plain = !types.isProxy(exception);
  const values = EXCEPTION_FIELDS.map((field) => {
    try {
      const v = (exception as Record<string, unknown>)[field];
      if (!plainField(v)) plain = false;
      return v;
    } catch {
      plain = false;
      return UNREADABLE;
    }
  });
  if (plain) return exception;
  const walker = new Walker(ENTRY_MAX_CHARS, ENTRY_MAX_CHARS, { truncated: 0, replaced: 0, unsafeKeys: 0 });
  const fields: Record<string, unknown> = {};
  EXCEPTION_FIELDS.forEach((field, i) => {
    walker.budget = ENTRY_MAX_CHARS;
    const safe = walker.value(values[i], 0);
    if (safe !== undefined) fields[field] = safe;
  });
  return fields;
}
