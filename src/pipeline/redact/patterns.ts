/**
 * What redaction looks for, one named group per kind; the group's name is the marker's type
 * (`[REDACTED:phone]`). All kinds run as ONE combined expression: one pass over each string.
 * Order matters where two kinds could start at the same place: secrets and cards before phones.
 */

/** Header-style secrets: `Authorization: Bearer …`, `Bearer …`, `api_key=…`, `password: …`. The value only is replaced. */
const SECRET_PREFIX = String.raw`(?:\b(?:authorization|proxy-authorization)\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest)\s+)?|\bbearer\s+|\b(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret|secret|password|passwd|pwd)\b["']?\s*[:=]\s*["']?)`;
const SECRET_VALUE = String.raw`[A-Za-z0-9._~+/=:-]{6,}`;

/** Well-known key formats: OpenAI/Anthropic `sk-…`, Stripe, AWS access key ids, GitHub, Slack, Google, JWTs. */
const KEY = [
  String.raw`\bsk-[A-Za-z0-9_-]{16,}`,
  String.raw`\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}`,
  String.raw`\bAKIA[0-9A-Z]{16}\b`,
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}`,
  String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\bAIza[0-9A-Za-z_-]{35}`,
  String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
].join('|');

const EMAIL = String.raw`\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b`;

/** Card numbers by issuer prefix (Visa, Mastercard, Amex, Discover), 15-16 digits, spaces or dashes allowed; Luhn-checked after matching. */
const CARD = String.raw`(?<![\w.-])(?:4\d|5[1-5]|2[2-7]|3[47]|6(?:011|5\d))(?:[ -]?\d){11,17}(?![\w-]|\.\d)`;

/**
 * Phone numbers: E.164 with or without separators (`+14155550132`, `+44 20 7946 0958`), and the
 * national forms of the callers this package was built for: North American (`(415) 555-0132`,
 * `415-555-0132`, `1-415-555-0132`, `415.555.0132`), UK (`020 7946 0958`, `07700 900123`) and
 * French (`06 12 34 56 78`). A national number needs its separators: a bare run of ten digits is
 * as likely a byte count or a timestamp (phone-named attributes are redacted whole instead).
 */
const PHONE = [
  String.raw`(?<![\w+])\+[1-9](?:[ .()-]{0,2}\d){6,14}(?![\w]|\.\d)`,
  String.raw`(?<![\w+.:/-])(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?![\w]|[.:-]\d)`,
  String.raw`(?<![\w+.:/-])0[1-9]\d{1,3}[ -]\d{3,4}[ -]?\d{3,4}(?![\w]|[.:-]\d)`,
  String.raw`(?<![\w+.:/-])0[1-9](?:[ .]\d{2}){4}(?![\w]|[.:-]\d)`,
].join('|');

export const REDACTION_KINDS = ['secret', 'key', 'email', 'card', 'phone', 'custom'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** The combined expression; group `sp` is a secret's prefix (kept), `secret` its value (replaced). */
export function builtInPattern(): RegExp {
  return new RegExp(
    `(?<sp>${SECRET_PREFIX})(?<secret>${SECRET_VALUE})|(?<key>${KEY})|(?<email>${EMAIL})|(?<card>${CARD})|(?<phone>${PHONE})`,
    'gi',
  );
}

/** Attribute names whose whole string value is a phone number or a secret, whatever it looks like. */
export const PHONE_ATTRIBUTE = /(?:^|[._-])(?:phone|msisdn|caller|callee|from_number|to_number|caller_number|callee_number|ani|dnis)(?:$|[._-])|(?:^|\.)(?:from|to|number)$/i;
export const SECRET_ATTRIBUTE = /authorization|api[_-]?key|apikey|password|passwd|secret|(?:^|[._-])token$|cookie/i;

/**
 * Is `text` (digits, maybe with separators) a card number: 15 digits (Amex) or 16 (the rest), passing
 * the Luhn check? The obsolete 13- and rare 19-digit forms are left out: they collide with timestamps.
 */
export function luhnValid(text: string): boolean {
  let sum = 0;
  let double = false;
  let count = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    count++;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (count === 15 || count === 16) && sum % 10 === 0;
}
