import { createHmac, randomBytes } from 'node:crypto';
import { builtInPattern, luhnValid, PHONE_ATTRIBUTE, REDACTION_KINDS, SECRET_ATTRIBUTE, type RedactionKind } from './patterns.ts';

/** Strings shorter than this cannot hold anything redacted (the shortest is an e-mail like `a@b.co`). */
const MIN_LENGTH = 6;
/** Nested maps and arrays deeper than this are left to the sanitizer's depth cap. */
const MAX_DEPTH = 8;

export const marker = (kind: RedactionKind): string => `[REDACTED:${kind}]`;

/** The call id is how a person finds a call: redacted, it keeps a pseudonym (keyed per process) so calls stay apart. */
const CALL_ID = 'call.id';
const PSEUDONYM_KEY = randomBytes(32);
const pseudonym = (text: string): string => createHmac('sha256', PSEUDONYM_KEY).update(text).digest('hex').slice(0, 12);

export type RedactionCounts = Record<RedactionKind, number>;
export const zeroCounts = (): RedactionCounts => Object.fromEntries(REDACTION_KINDS.map((k) => [k, 0])) as RedactionCounts;

/**
 * Replaces phone numbers, e-mail addresses, secrets and card numbers in strings with a typed
 * marker, counting each kind. Non-strings and short strings cost one type check.
 */
export class Redactor {
  readonly counts: RedactionCounts;
  private readonly builtIn = builtInPattern();
  private readonly custom: RegExp | undefined;

  constructor(custom?: RegExp, counts: RedactionCounts = zeroCounts()) {
    this.counts = counts;
    // A private copy: a global RegExp carries lastIndex, and the config's one is shared.
    this.custom = custom === undefined ? undefined : new RegExp(custom.source, custom.flags.includes('g') ? custom.flags : `${custom.flags}g`);
  }

  /** `text` with every match replaced; the same string when nothing matched. */
  text(text: string): string {
    if (text.length < MIN_LENGTH) return text;
    let out = text.replace(this.builtIn, this.replaceBuiltIn);
    if (this.custom !== undefined) {
      out = out.replace(this.custom, () => {
        this.counts.custom++;
        return marker('custom');
      });
    }
    return out;
  }

  /** An attribute value: a phone- or secret-named attribute's string is replaced whole. */
  attribute(name: string, value: unknown): unknown {
    if (typeof value === 'string') {
      if (value.length === 0 || value.startsWith('[REDACTED:')) return value;
      if (name === CALL_ID) {
        const redacted = this.phoneLike(value) ? this.whole('phone') : this.text(value);
        return redacted === value ? value : `${redacted}#${pseudonym(value)}`;
      }
      if (SECRET_ATTRIBUTE.test(name)) return this.whole('secret');
      if (PHONE_ATTRIBUTE.test(name) && this.phoneLike(value)) return this.whole('phone');
      return this.text(value);
    }
    return this.value(value, 0);
  }

  /** Strings anywhere in a body or attribute value (maps and arrays walked, to a depth). */
  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || depth >= MAX_DEPTH) return value;
    if (Array.isArray(value)) {
      let changed: unknown[] | undefined;
      value.forEach((item, i) => {
        const next = this.value(item, depth + 1);
        if (next !== item) (changed ??= [...value])[i] = next;
      });
      return changed ?? value;
    }
    let changed: Record<string, unknown> | undefined;
    for (const [k, item] of Object.entries(value)) {
      const next = this.attribute(k, item);
      if (next !== item) (changed ??= { ...value })[k] = next;
    }
    return changed ?? value;
  }

  /** Only digits and phone punctuation, 7 digits or more: a bare number in a phone-named attribute. */
  private phoneLike(value: string): boolean {
    return /^[\s\d()+.-]{7,24}$/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 7;
  }

  private whole(kind: RedactionKind): string {
    this.counts[kind]++;
    return marker(kind);
  }

  private readonly replaceBuiltIn = (match: string, ...args: unknown[]): string => {
    const groups = args.at(-1) as Record<string, string | undefined>;
    if (groups['secret'] !== undefined) return `${groups['sp']}${this.whole('secret')}`;
    if (groups['key'] !== undefined) return this.whole('key');
    if (groups['email'] !== undefined) return this.whole('email');
    if (groups['card'] !== undefined) return luhnValid(match) ? this.whole('card') : match;
    if (groups['phone'] !== undefined) return this.whole('phone');
    return match;
  };
}
