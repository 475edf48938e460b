/**
 * Message templates: the constant part of a log line, as a key for records that carry none
 * (no `log.key`, event name or `[TAG]`). `Received media message with timestamp: 1234ms` and
 * `… 1254ms` are one template, `Received media message with timestamp: <n>`.
 *
 * One forward pass over at most TEMPLATE_SCAN characters, no regular expression (so nothing can
 * backtrack), output capped at TEMPLATE_MAX_LENGTH: a 1 MB body costs what its first 512
 * characters cost.
 */

/** Characters of the message read; the rest never matters. */
export const TEMPLATE_SCAN = 512;
/** Longest template kept (a longer one is cut). */
export const TEMPLATE_MAX_LENGTH = 120;

/** A word holding a digit (numbers, hex, UUIDs, Twilio `CA…`/`MZ…` ids, base64 runs), or a very long one. */
export const PLACEHOLDER = '<n>';
/** A quoted string's contents. */
export const STRING_PLACEHOLDER = '<s>';
/** An object or array (`{…}`), and whatever follows the first line. */
export const REST_PLACEHOLDER = '…';

/** A word longer than this is taken for an opaque token (base64 without digits) even with no digit. */
const LONG_WORD = 32;

/** What a caller may pass to count the loop's steps (the property test bounds them). */
export interface TemplateMeter {
  steps: number;
}

/** Character classes of ASCII codes: 1 letter, `_` or `-`; 2 digit; 3 punctuation that joins placeholders; 0 other. */
const CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLASS[c] = 1;
for (let c = 97; c <= 122; c++) CLASS[c] = 1;
for (let c = 48; c <= 57; c++) CLASS[c] = 2;
CLASS[95] = 1; // _
CLASS[45] = 1; // -
// Between two placeholders these vanish with them: `12:34:56.789`, `a/b+c=`, `10.0.0.1`, `1,024`.
for (const c of '.:/+=,') CLASS[c.charCodeAt(0)] = 3;
/** The same for words: 1 letter (or anything beyond ASCII), 2 digit, 0 not part of a word. */
const WORD = CLASS.map((k) => (k === 3 ? 0 : k));

/** May a quote open after this character? (Not after a word character: `don't`.) */
function isWordEnd(c: number): boolean {
  return c < 128 && WORD[c] === 0;
}

/** A run of `=` (a base64 run's padding) in text[from, to)? */
function padding(text: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) if (text.charCodeAt(j) !== 61) return false;
  return true;
}

/**
 * The template of `text`: words with digits (or longer than 32 characters) → `<n>`, quoted
 * strings → `"<s>"`, an object or array literal and anything after the first line → `…`,
 * control characters and runs of whitespace → one space, adjacent placeholders joined by
 * punctuation (`12:34:56.789`) → one. Lines differing only in numbers or ids share a template.
 *
 * Written for speed, as it runs on every keyless record: the output is the input's verbatim
 * stretches (`text.slice(from, i)`, taken only where something is replaced) and placeholders;
 * no closures, no per-character string building.
 */
export function templateOf(text: string, meter?: TemplateMeter): string {
  const end = Math.min(text.length, TEMPLATE_SCAN);
  let out = '';
  /** Start of the verbatim stretch not yet copied to `out`. */
  let from = 0;
  let steps = 0;
  /** The output so far ends in a space (or is empty): more whitespace is dropped. */
  let ws = true;
  /** The last piece was a placeholder; `held` is where punctuation right after it starts (-1: none). */
  let afterPlaceholder = false;
  let held = -1;
  let i = 0;
  let replacement: string | undefined;

  while (i < end && out.length + (i - from) < TEMPLATE_MAX_LENGTH) {
    steps++;
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127) {
      if (c === 10 || c === 13) {
        // Anything after the first line (stack traces, dumps) is not part of the template.
        out += text.slice(from, afterPlaceholder && held >= 0 && padding(text, held, i) ? held : i);
        if (out.length > 0) out += ws ? REST_PLACEHOLDER : ` ${REST_PLACEHOLDER}`;
        from = i = end;
        break;
      }
      // Control characters count as whitespace; a run of it as one space. A single plain space is kept as it is.
      if (afterPlaceholder && held >= 0 && padding(text, held, i)) {
        out += text.slice(from, held);
        from = i;
      }
      afterPlaceholder = false;
      held = -1;
      if (!ws && c === 32) {
        ws = true;
        i++;
        continue;
      }
      out += text.slice(from, i);
      if (!ws) out += ' ';
      ws = true;
      from = ++i;
      continue;
    }
    const kind = c < 128 ? WORD[c]! : 1;
    const start = i;
    if (kind !== 0) {
      // The hot loop: a table lookup per character, the digit flag or-ed in.
      let digit = kind;
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i);
        const k = d < 128 ? WORD[d]! : 1;
        if (k === 0) break;
        digit |= k;
      }
      steps += i - start - 1;
      if ((digit & 2) === 0 && i - start <= LONG_WORD) {
        afterPlaceholder = false;
        held = -1;
        ws = false;
        continue;
      }
      replacement = PLACEHOLDER;
    } else if (c === 34 /* " */ || c === 96 /* ` */ || (c === 39 /* ' */ && (i === 0 || isWordEnd(text.charCodeAt(i - 1))))) {
      // A quoted string (an apostrophe inside a word, as in "don't", opens none).
      for (i++; i < end; i++) {
        const q = text.charCodeAt(i);
        if (q === c || q === 10 || q === 13) break;
        steps++;
        if (q === 92 /* \ */) i++;
      }
      if (i < end && text.charCodeAt(i) === c) i++;
      replacement = c === 34 ? `"${STRING_PLACEHOLDER}"` : c === 96 ? `\`${STRING_PLACEHOLDER}\`` : `'${STRING_PLACEHOLDER}'`;
    } else if (c === 123 /* { */ || (c === 91 /* [ */ && i + 1 < end && (text.charCodeAt(i + 1) === 123 || text.charCodeAt(i + 1) === 34))) {
      // An object or array literal: data, not template.
      i = end;
      replacement = REST_PLACEHOLDER;
    } else {
      // Punctuation: right after a placeholder it is held (dropped if another placeholder follows, as in `12:34`).
      if (afterPlaceholder && CLASS[c] === 3) {
        if (held < 0) held = i;
      } else {
        afterPlaceholder = false;
        held = -1;
      }
      ws = false;
      i++;
      continue;
    }
    // A placeholder; one right after another, joined by punctuation only, merges with it.
    if (afterPlaceholder && held >= 0) out += text.slice(from, held);
    else out += text.slice(from, start) + replacement;
    from = i;
    afterPlaceholder = true;
    held = -1;
    ws = false;
  }
  if (from < i) out += text.slice(from, afterPlaceholder && held >= 0 && padding(text, held, i) ? held : i);
  if (meter !== undefined) meter.steps += steps;
  // The cap, then no trailing space, and never half a surrogate pair at the end.
  if (out.length > TEMPLATE_MAX_LENGTH) out = out.slice(0, TEMPLATE_MAX_LENGTH);
  let cut = out.length;
  if (cut > 0 && out.charCodeAt(cut - 1) === 32) cut--;
  if (cut > 0 && out.charCodeAt(cut - 1) >= 0xd800 && out.charCodeAt(cut - 1) <= 0xdbff) cut--;
  return cut === out.length ? out : out.slice(0, cut);
}
