/**
 * What redaction looks for, one named group per kind; the group's name is the marker's type
 * (`[REDACTED:phone]`). All kinds run as ONE combined expression: one pass over each string.
 * Order matters where two kinds could start at the same place: secrets and cards before phones.
 */

/**
 * Words that name a secret as the last part of a name: `token=`, `refresh_token=`, `DB_PASSWORD=`,
 * `TWILIO_AUTH_TOKEN=`, `OPENAI_API_KEY=`, `X-Twilio-Signature:`. Compounds come first, so `API_KEY`
 * is read as one word; a bare `key` (group `bare`) is a secret only in an upper-case env-style name
 * (`AZURE_SPEECH_KEY=`): lower-case `cache_key`, `routing_key`, `log.key` are not (see Redactor).
 */
const SECRET_WORD = String.raw`(?:(?:api|secret|private|access|signing|encryption|master|client|webhook|service|session)[_-]?key|apikey|(?:access|auth|refresh|id|bearer|session|csrf)[_-]?token|client[_-]?secret|secret|token|password|passwd|pwd|passphrase|credentials?|signature|(?<bare>key))`;

/**
 * Header-style and env-style secrets: `Authorization: Bearer …`, `Bearer …`, `api_key=…`,
 * `password: …`, `TWILIO_AUTH_TOKEN=…`. The value only is replaced. A name is found looking back
 * from its `=` or `:` (a lookbehind, tried only where one follows), not tried at every word: most
 * words of a log line are followed by neither. Its parts before the secret word are bounded (6 of
 * 32 characters), as is the space before the `=`, so no run of characters costs quadratic time.
 */
const SECRET_PREFIX = String.raw`(?:\b(?:authorization|proxy-authorization)\b["']?\s{0,8}[:=]\s*["']?(?:(?:bearer|basic|token|digest)\s+)?|\bbearer\s+|(?=["']?\s{0,8}[:=])(?<=\b(?<sname>(?:[A-Za-z0-9]{1,32}[_-]){0,6}?${SECRET_WORD})\b)["']?\s{0,8}[:=]\s{0,8}["']?)`;

/**
 * A secret's value: anything up to a space, a quote, a list or query separator or a bracket
 * (passwords have `@!#%`), 4 characters or more, and not a word that says there is no secret.
 */
const SECRET_VALUE = String.raw`(?!(?:null|undefined|none|true|false|missing|expired|invalid|present|unset)(?![^\s"'&,;<>()\[\]{}\\]))[^\s"'&,;<>()\[\]{}\\]{4,}`;

/**
 * Well-known key formats: OpenAI/Anthropic/OpenRouter `sk-…`, Stripe, AWS access key ids, GitHub,
 * Slack, Google, JWTs. An `sk-` match is a key only if it holds a random-looking run (see
 * `randomLooking`): `sk-learn-model-version-1234` is a library's name.
 */
const KEY = [
  String.raw`\bsk-[A-Za-z0-9_-]{16,}`,
  String.raw`\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}`,
  String.raw`\bAKIA[0-9A-Z]{16}\b`,
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}`,
  String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\bAIza[0-9A-Za-z_-]{35}`,
  String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
].join('|');

/** `@` or its URL encoding `%40` (form posts and query strings: `email=jane%40example.com`). */
const EMAIL = String.raw`\b[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b`;

/** Card numbers by issuer prefix (Visa, Mastercard, Amex, Discover), 15-16 digits, spaces or dashes allowed; Luhn-checked after matching. */
const CARD = String.raw`(?<![\w.-])(?:4\d|5[1-5]|2[2-7]|3[47]|6(?:011|5\d))(?:[ -]?\d){11,17}(?![\w-]|\.\d)`;

/**
 * Phone numbers: E.164 with or without separators (`+14155550132`, `+44 20 7946 0958`), and the
 * national forms of the callers this package was built for: North American (`(415) 555-0132`,
 * `415-555-0132`, `1-415-555-0132`, `415.555.0132`), UK (`020 7946 0958`, `07700 900123`) and
 * French (`06 12 34 56 78`). A national number needs its separators: a bare run of ten digits is
 * as likely a byte count or a timestamp (phone-named attributes are redacted whole instead).
 * E.164 also in its URL encoding, as Twilio posts it (`From=%2B14155550100`, `%20` between groups),
 * and glued to a word by `_` or followed by letters (`id_+14155550100`, `+14155550100_rec.wav`):
 * the `+` and 7-15 digits are what makes it a phone number.
 */
const PHONE = [
  String.raw`(?<![A-Za-z0-9+%])(?:\+|%2B)[1-9](?:(?:[ .()-]|%2[089]){0,2}\d){6,14}(?!\d|\.\d)`,
  String.raw`(?<![\w+.:/-])(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?![\w]|[.:-]\d)`,
  String.raw`(?<![\w+.:/-])0[1-9]\d{1,3}[ -]\d{3,4}[ -]?\d{3,4}(?![\w]|[.:-]\d)`,
  String.raw`(?<![\w+.:/-])0[1-9](?:[ .]\d{2}){4}(?![\w]|[.:-]\d)`,
].join('|');

export const REDACTION_KINDS = ['secret', 'key', 'email', 'card', 'phone', 'custom'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** The combined expression; group `sp` is a secret's prefix (kept), `secret` its value (replaced). */
export function builtInPattern(): RegExp {
  return new RegExp(`(?<sp>${SECRET_PREFIX})(?<secret>${SECRET_VALUE})|(?<key>${KEY})|(?<email>${EMAIL})|(?<card>${CARD})|(?<phone>${PHONE})`, 'gi');
}

/** Attribute names whose whole string value is a phone number or a secret, whatever it looks like. */
export const PHONE_ATTRIBUTE = /(?:^|[._-])(?:phone|msisdn|caller|callee|from_number|to_number|caller_number|callee_number|ani|dnis)(?:$|[._-])|(?:^|\.)(?:from|to|number)$/i;
export const SECRET_ATTRIBUTE = /authorization|api[_-]?key|apikey|password|passwd|secret|signature|(?:^|[._-])token$|cookie/i;

/** Upper-case env-style names ending in `_KEY` (`AZURE_SPEECH_KEY`): the one place a bare `key` names a secret. */
export const ENV_KEY_NAME = /^[A-Z0-9]+(?:_[A-Z0-9]+)*_KEY$/;

/**
 * Does an `sk-…` match hold a random-looking run: 16+ letters and digits in a row, mixing two of
 * lower case, upper case and digits? Real OpenAI, Anthropic and OpenRouter keys carry 32-160 random
 * characters; names such as `sk-learn-model-version-1234` have short runs of one kind.
 */
export function randomLooking(text: string): boolean {
  for (const run of text.split(/[^A-Za-z0-9]+/)) {
    if (run.length < 16) continue;
    const kinds = Number(/[a-z]/.test(run)) + Number(/[A-Z]/.test(run)) + Number(/\d/.test(run));
    if (kinds >= 2) return true;
  }
  return false;
}

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
