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

// Character classes by code: 1 letter/underscore/non-ASCII, 2 digit, 0 anything else.
function wordClass(c: number): number {
  if (c >= 48 && c <= 57) return 2;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 /* - */ || c >= 128) return 1;
  return 0;
}

/** Punctuation that may sit between two placeholders and vanish with them: `12:34:56.789`, `a/b+c=`, `10.0.0.1`. */
function joins(c: number): boolean {
  return c === 46 /* . */ || c === 58 /* : */ || c === 47 /* / */ || c === 43 /* + */ || c === 61 /* = */ || c === 44 /* , */;
}

/**
 * The template of `text`: words with digits (or longer than 32 characters) → `<n>`, quoted
 * strings → `"<s>"`, an object or array literal and anything after the first line → `…`,
 * control characters and runs of whitespace → one space, adjacent placeholders joined by
 * punctuation (`12:34:56.789`) → one. Lines differing only in numbers or ids share a template.
 */
export function templateOf(text: string, meter?: TemplateMeter): string {
  const end = text.length < TEMPLATE_SCAN ? text.length : TEMPLATE_SCAN;
  let out = '';
  let steps = 0;
  let space = false;
  /** The last thing written was a placeholder; `held` is where joining punctuation after it starts (-1: none). */
  let afterPlaceholder = false;
  let held = -1;
  let i = 0;

  // Writes what is pending before the next piece: held punctuation, then one space.
  const lead = (at: number): void => {
    if (held >= 0) {
      out += text.slice(held, at);
      held = -1;
    }
    if (space) {
      if (out.length > 0) out += ' ';
      space = false;
    }
  };
  // Held punctuation before a space or the end is written, unless it is a base64 run's `=` padding.
  const writeHeld = (at: number): void => {
    let padding = true;
    for (let j = held; j < at && padding; j++) padding = text.charCodeAt(j) === 61;
    if (!padding) out += text.slice(held, at);
    held = -1;
  };
  const placeholder = (at: number, what: string): void => {
    // `<n>:<n>` is one placeholder: the punctuation between two of them goes with them.
    if (afterPlaceholder && held >= 0 && !space) {
      held = -1;
      return;
    }
    lead(at);
    out += what;
    afterPlaceholder = true;
  };

  while (i < end && out.length < TEMPLATE_MAX_LENGTH) {
    steps++;
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      // Anything after the first line (stack traces, dumps) is not part of the template.
      held = -1;
      if (out.length > 0) out += ` ${REST_PLACEHOLDER}`;
      i = end;
      break;
    }
    if (c <= 32 || c === 127) {
      // Control characters count as whitespace; runs of it as one space.
      if (held >= 0) writeHeld(i);
      space = out.length > 0;
      afterPlaceholder = false;
      i++;
      continue;
    }
    const kind = wordClass(c);
    if (kind !== 0) {
      const start = i;
      let digit = kind === 2;
      for (i++; i < end; i++) {
        const k = wordClass(text.charCodeAt(i));
        if (k === 0) break;
        if (k === 2) digit = true;
        steps++;
      }
      if (digit || i - start > LONG_WORD) placeholder(start, PLACEHOLDER);
      else {
        lead(start);
        out += text.slice(start, i);
        afterPlaceholder = false;
      }
      continue;
    }
    if (c === 34 /* " */ || c === 96 /* ` */ || (c === 39 /* ' */ && (i === 0 || wordClass(text.charCodeAt(i - 1)) === 0))) {
      // A quoted string (an apostrophe inside a word, as in "don't", opens none).
      const start = i;
      for (i++; i < end; i++) {
        const q = text.charCodeAt(i);
        if (q === c || q === 10 || q === 13) break;
        steps++;
        if (q === 92 /* \ */) i++;
      }
      if (i < end && text.charCodeAt(i) === c) i++;
      placeholder(start, c === 34 ? `"${STRING_PLACEHOLDER}"` : c === 96 ? `\`${STRING_PLACEHOLDER}\`` : `'${STRING_PLACEHOLDER}'`);
      continue;
    }
    if (c === 123 /* { */ || (c === 91 /* [ */ && i + 1 < end && (text.charCodeAt(i + 1) === 123 || text.charCodeAt(i + 1) === 34))) {
      // An object or array literal: data, not template.
      placeholder(i, REST_PLACEHOLDER);
      i = end;
      break;
    }
    if (afterPlaceholder && !space && joins(c)) {
      // Held back: dropped if another placeholder follows (`12:34`), written otherwise.
      if (held < 0) held = i;
      i++;
      continue;
    }
    lead(i);
    out += text[i];
    afterPlaceholder = false;
    i++;
  }
  if (held >= 0) writeHeld(i);
  if (meter !== undefined) meter.steps += steps;
  if (out.length > TEMPLATE_MAX_LENGTH) {
    out = out.slice(0, TEMPLATE_MAX_LENGTH);
    // Never end on half a surrogate pair.
    const last = out.charCodeAt(out.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  }
  return out;
}
