/**
 * Makes any value an OTLP AnyValue the serializer cannot choke on, within a size budget: cycles
 * (which would overflow the serializer's stack and lose the whole batch), bigint, NaN/Infinity
 * (JSON turns them into null), functions, symbols, class instances, deep nesting and huge strings
 * or byte arrays. Counts what it changed. Values that need nothing are returned as they are.
 */
import { ownCopy } from './ownCopy.ts';

/** Nesting below this depth is replaced by a marker. */
export const MAX_DEPTH = 8;
/** Entries kept per array or map. */
export const MAX_ENTRIES = 1_000;

export interface SafeCounts {
  truncated: number;
  replaced: number;
}

/** A cut string keeps its head (in a string of its own, so the original can be collected) and says how much went. */
export function truncate(text: string, max: number): string {
  return ownCopy(`${text.slice(0, max)}…[truncated ${text.length - max} chars]`);
}

class Walker {
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

  private string(s: string): string {
    const max = Math.max(0, Math.min(this.maxString, this.budget));
    this.budget -= Math.min(s.length, max);
    if (s.length <= max) return s;
    this.counts.truncated++;
    return truncate(s, max);
  }

  private object(o: object, depth: number): unknown {
    if (o instanceof Uint8Array) {
      const max = Math.max(0, Math.min(this.maxString, this.budget));
      this.budget -= Math.min(o.length, max);
      if (o.length <= max) return o;
      this.counts.truncated++;
      return o.slice(0, max);
    }
    if (this.path.has(o)) {
      this.counts.replaced++;
      return '[Circular]';
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
      return this.string(`${o.name}: ${o.message}`);
    }
    this.path.add(o);
    try {
      if (Array.isArray(o) || o instanceof Set) return this.array([...(o as Iterable<unknown>)], depth);
      if (o instanceof Map) {
        this.counts.replaced++;
        return this.map(Object.fromEntries([...o].map(([k, v]) => [String(k), v])), depth);
      }
      const proto = Object.getPrototypeOf(o);
      if (proto !== Object.prototype && proto !== null) this.counts.replaced++;
      return this.map(o as Record<string, unknown>, depth);
    } finally {
      this.path.delete(o);
    }
  }

  private array(items: unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    const n = Math.min(items.length, MAX_ENTRIES);
    for (let i = 0; i < n && this.budget > 0; i++) out.push(this.value(items[i], depth + 1) ?? null);
    if (out.length < items.length) {
      this.counts.truncated++;
      out.push(`[${items.length - out.length} more items]`);
    }
    return out;
  }

  private map(o: Record<string, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(o);
    let kept = 0;
    for (const k of keys) {
      if (kept >= MAX_ENTRIES || this.budget <= 0) break;
      this.budget -= k.length;
      const v = this.value(o[k], depth + 1);
      if (v !== undefined) out[k] = v;
      kept++;
    }
    if (kept < keys.length) {
      this.counts.truncated++;
      out['…'] = `[${keys.length - kept} more keys]`;
    }
    return out;
  }
}

/** Does `v` need the walk? Strings, finite numbers and booleans within the cap never do. */
function plainEnough(v: unknown, maxString: number): boolean {
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
