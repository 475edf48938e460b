/**
 * Makes any value an OTLP AnyValue the serializer cannot choke on, within a size budget: cycles
 * (which would overflow the serializer's stack and lose the whole batch), bigint, NaN/Infinity
 * (JSON turns them into null), functions, symbols, class instances, deep nesting, huge strings,
 * byte arrays or sparse arrays, getters that throw and Proxies (revoked ones too). Only own
 * enumerable properties are read, and keys that steer prototypes are dropped. Counts what it
 * changed. Values that need nothing are returned as they are. Never throws.
 */
import { ownCopy } from '../../config/boundedStrings.ts';

/** Nesting below this depth is replaced by a marker. */
export const MAX_DEPTH = 8;
/** Entries kept per array or map. */
export const MAX_ENTRIES = 1_000;
/** What a property (or a whole object) whose read threw is replaced by. */
export const UNREADABLE = '[unreadable]';

/**
 * Keys never copied: assigning `__proto__` sets the copy's prototype (so every other key could be
 * answered by the attacker's object, as the SDK's own attribute copy does), and an own
 * `constructor` or `prototype` steers code that merges values (and makes the SDK refuse a map).
 */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface SafeCounts {
  truncated: number;
  replaced: number;
  /** `__proto__`, `constructor` and `prototype` keys dropped. */
  unsafeKeys: number;
}

/** A cut string keeps its head (in a string of its own, so the original can be collected) and says how much went. */
export function truncate(text: string, max: number): string {
  return ownCopy(`${text.slice(0, max)}…[truncated ${text.length - max} chars]`);
}

/** Walks one value (or, through `entries`, the values of a map each with its own budget). */
export class Walker {
  /** Characters (roughly) still allowed in this value. */
  budget: number;
  readonly maxString: number;
  readonly counts: SafeCounts;
  private readonly path = new Set<object>();

  constructor(maxString: number, budget: number, counts: SafeCounts) {
    this.maxString = maxString;
    this.budget = budget;
    this.counts = counts;
  }

  value(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'number':
        this.budget -= 8;
        if (Number.isFinite(v)) return v;
        this.counts.replaced++;
        return String(v);
      case 'boolean':
        this.budget -= 4;
        return v;
      case 'bigint':
        this.counts.replaced++;
        return this.string(v.toString());
      case 'undefined':
        return undefined;
      case 'symbol':
      case 'function':
        this.counts.replaced++;
        return undefined;
      default:
        return v === null ? null : this.object(v as object, depth);
    }
  }

  /**
   * A plain copy of `o`'s own enumerable entries, each value walked with `budget` of its own (an
   * attribute map: one huge value must not starve the others). Unsafe keys are dropped.
   */
  entries(o: object, budget: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let keys: string[];
    try {
      keys = Object.keys(o);
    } catch {
      this.counts.replaced++;
      return out;
    }
    for (const k of keys) {
      if (UNSAFE_KEYS.has(k)) {
        this.counts.unsafeKeys++;
        continue;
      }
      this.budget = budget;
      const v = this.value(this.read(o, k), 0);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** `o[k]`, or the unreadable marker when the read throws (a getter, a Proxy's trap). */
  private read(o: object, k: string | number): unknown {
    try {
      return (o as Record<string | number, unknown>)[k];
    } catch {
      this.counts.replaced++;
      return UNREADABLE;
    }
  }

  private string(s: string): string {
    const max = Math.max(0, Math.min(this.maxString, this.budget));
    this.budget -= Math.min(s.length, max);
    if (s.length <= max) return s;
    this.counts.truncated++;
    return truncate(s, max);
  }

  private object(o: object, depth: number): unknown {
    if (this.path.has(o)) {
      this.counts.replaced++;
      return '[Circular]';
    }
    // Every step below may run an attacker's code (a Proxy's traps, getters, iterators): whatever
    // throws costs this one value, never the record.
    try {
      return this.known(o, depth);
    } catch {
      this.counts.replaced++;
      return UNREADABLE;
    } finally {
      this.path.delete(o);
    }
  }

  private known(o: object, depth: number): unknown {
    if (o instanceof Uint8Array) {
      const max = Math.max(0, Math.min(this.maxString, this.budget));
      this.budget -= Math.min(o.length, max);
      if (o.length <= max) return o;
      this.counts.truncated++;
      return o.slice(0, max);
    }
    if (depth >= MAX_DEPTH || this.budget <= 0) {
      this.counts.truncated++;
      return depth >= MAX_DEPTH ? '[too deep]' : '[truncated]';
    }
    if (o instanceof Date) {
      this.counts.replaced++;
      return Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString();
    }
    if (o instanceof Error) {
      this.counts.replaced++;
      return this.string(`${String(o.name)}: ${String(o.message)}`);
    }
    if (ArrayBuffer.isView(o)) {
      // Samples of audio (Int16Array, Float32Array) are no OTLP value, and walking their indices as keys costs one string each.
      this.counts.replaced++;
      return `[${o.constructor.name} ${o.byteLength} bytes]`;
    }
    this.path.add(o);
    if (Array.isArray(o)) return this.array(o, depth);
    if (o instanceof Set) return this.set(o, depth);
    if (o instanceof Map) {
      this.counts.replaced++;
      return this.map(Object.fromEntries(this.head(o.entries(), room(o.size)).map(([k, v]) => [String(k), v])), depth, o.size);
    }
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) this.counts.replaced++;
    return this.map(o, depth);
  }

  /** Indexed, never spread: a sparse `new Array(2 ** 32 - 1)` must cost its first entries, not its length. */
  private array(items: readonly unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    const n = room(items.length);
    for (let i = 0; i < n && this.budget > 0; i++) out.push(this.value(this.read(items, i), depth + 1) ?? null);
    return this.more(out, items.length);
  }

  private set(items: Set<unknown>, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of this.head(items.values(), room(items.size))) {
      if (this.budget <= 0) break;
      out.push(this.value(item, depth + 1) ?? null);
    }
    return this.more(out, items.size);
  }

  /** At most `max` items of an iterator. */
  private head<T>(iterator: Iterator<T>, max: number): T[] {
    const out: T[] = [];
    for (let next = iterator.next(); next.done !== true && out.length < max; next = iterator.next()) out.push(next.value);
    return out;
  }

  private more(out: unknown[], length: number): unknown[] {
    if (out.length < length) {
      this.counts.truncated++;
      out.push(`[${length - out.length} more items]`);
    }
    return out;
  }

  private map(o: object, depth: number, size?: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(o);
    const total = size ?? keys.length;
    const max = room(total);
    let kept = 0;
    for (const k of keys) {
      if (kept >= max || this.budget <= 0) break;
      kept++;
      if (UNSAFE_KEYS.has(k)) {
        this.counts.unsafeKeys++;
        continue;
      }
      this.budget -= k.length;
      const v = this.value(this.read(o, k), depth + 1);
      if (v !== undefined) out[k] = v;
    }
    if (kept < total) {
      this.counts.truncated++;
      out['…'] = `[${total - kept} more keys]`;
    }
    return out;
  }
}

/**
 * Entries kept of `length`: all up to MAX_ENTRIES, else one fewer, so that with the marker saying
 * how many went the result is MAX_ENTRIES long and a second walk (the entry point's, then the
 * exporting chain's) leaves it as it is.
 */
function room(length: number): number {
  return length <= MAX_ENTRIES ? length : MAX_ENTRIES - 1;
}

/** Does `v` need the walk? Strings, finite numbers and booleans within the cap never do. */
export function plainEnough(v: unknown, maxString: number): boolean {
  switch (typeof v) {
    case 'string':
      return v.length <= maxString;
    case 'number':
      return Number.isFinite(v);
    case 'boolean':
      return true;
    case 'undefined':
      return true;
    default:
      return v === null;
  }
}

/** `v` made safe: strings cut at `maxString`, the whole value held to about `budget` characters. */
export function safeValue(v: unknown, maxString: number, budget: number, counts: SafeCounts): unknown {
  if (plainEnough(v, maxString)) return v;
  return new Walker(maxString, budget, counts).value(v, 0);
}
