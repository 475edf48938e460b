import { createHmac, randomBytes } from 'node:crypto';
import { builtInPattern, ENV_KEY_NAME, luhnValid, PHONE_ATTRIBUTE, randomLooking, REDACTION_KINDS, SECRET_ATTRIBUTE, type RedactionKind } from './patterns.ts';

/** Strings shorter than this cannot hold anything redacted (the shortest is an e-mail like `a@b.co`). */
const MIN_LENGTH = 6;
/** Nested maps and arrays deeper than this are left to the sanitizer's depth cap. */
const MAX_DEPTH = 8;

export const marker = (kind: RedactionKind): string => `[REDACTED:${kind}]`;

/** The call id is how a person finds a call: redacted, it keeps a pseudonym (keyed per redactor) so calls stay apart. */
export const CALL_ID = 'call.id';

/** Byte bodies are read as UTF-8 when they are (a webhook's raw body), else byte for byte (latin1), so text inside binary is found too. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
  /** The pseudonyms' HMAC key: one per redactor, so one pipeline's logs and spans agree and nothing is kept at module level. */
  private readonly pseudonymKey = randomBytes(32);

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

  /**
   * What a call id becomes in exported data: `[REDACTED:phone]#<12 hex>` (a keyed HMAC, stable for
   * this redactor) when it holds a phone number or other redactable text, else the id itself.
   * The logs' `call.id` and the `call` span's (see RedactingProcessor) both come from here.
   */
  callId(id: string): string {
    if (id.length === 0 || id.startsWith('[REDACTED:')) return id;
    const redacted = this.phoneLike(id) ? this.whole('phone') : this.text(id);
    return redacted === id ? id : `${redacted}#${createHmac('sha256', this.pseudonymKey).update(id).digest('hex').slice(0, 12)}`;
  }

  /** An attribute value: a phone- or secret-named attribute's string is replaced whole. */
  attribute(name: string, value: unknown): unknown {
    if (typeof value === 'string') {
      if (value.length === 0 || value.startsWith('[REDACTED:')) return value;
      if (name === CALL_ID) return this.callId(value);
      if (SECRET_ATTRIBUTE.test(name)) return this.whole('secret');
      if (PHONE_ATTRIBUTE.test(name) && this.phoneLike(value)) return this.whole('phone');
      return this.text(value);
    }
    // Header attributes are string arrays (`http.request.header.x-twilio-signature: ['…']`): each value goes whole.
    if (Array.isArray(value) && SECRET_ATTRIBUTE.test(name)) {
      return value.some((item) => typeof item === 'string' && item !== '') ? value.map((item) => (typeof item === 'string' && item !== '' ? this.whole('secret') : item)) : value;
    }
    return this.value(value, 0);
  }

  /**
   * A byte body: decoded (UTF-8 if it is valid UTF-8, else latin1, one character per byte, which
   * keeps every ASCII phone, e-mail or key findable in binary), redacted, and encoded back the same
   * way; the same array when nothing matched. Redacting binary changes its length: a byte body is
   * for reading, and a leak is worse than a protobuf that no longer parses.
   */
  bytes(bytes: Uint8Array): Uint8Array {
    if (bytes.length < MIN_LENGTH) return bytes;
    let text: string;
    let utf8 = true;
    try {
      text = UTF8.decode(bytes);
    } catch {
      utf8 = false;
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    }
    const redacted = this.text(text);
    if (redacted === text) return bytes;
    return new Uint8Array(Buffer.from(redacted, utf8 ? 'utf8' : 'latin1'));
  }

  /** Strings anywhere in a body or attribute value (maps and arrays walked, to a depth). */
  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value instanceof Uint8Array) return this.bytes(value);
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
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

  /** A bare `key` names a secret only in an upper-case env name; `pwd` followed by a path is the working directory. */
  private secretName(name: string | undefined, bare: string | undefined, value: string): boolean {
    if (name === undefined) return true;
    if (bare !== undefined) return ENV_KEY_NAME.test(name);
    return !(name.length === 3 && name.toLowerCase() === 'pwd' && value.startsWith('/'));
  }

  private whole(kind: RedactionKind): string {
    this.counts[kind]++;
    return marker(kind);
  }

  private readonly replaceBuiltIn = (match: string, ...args: unknown[]): string => {
    const groups = args.at(-1) as Record<string, string | undefined>;
    if (groups['secret'] !== undefined) {
      // Not a secret after all (`cache_key=…`, `PWD=/srv/app`): its value is still searched for phones and e-mails.
      if (!this.secretName(groups['sname'], groups['bare'], groups['secret'])) return `${groups['sp']}${this.text(groups['secret'])}`;
      return `${groups['sp']}${this.whole('secret')}`;
    }
    if (groups['key'] !== undefined) return /^sk-/i.test(match) && !randomLooking(match) ? match : this.whole('key');
    if (groups['email'] !== undefined) return this.whole('email');
    if (groups['card'] !== undefined) return luhnValid(match) ? this.whole('card') : match;
    if (groups['phone'] !== undefined) return this.whole('phone');
    return match;
  };
}
