/**
 * A string that owns its characters. V8 keeps a whole string alive behind a `slice` of it (and
 * behind a concatenation that contains such a slice), so a 16 KiB head cut from a 1 MB body would
 * hold the megabyte for as long as the head is kept. Concatenating, then slicing the result, makes V8
 * flatten into a new buffer of the head's own size; the original can then be collected.
 */
export function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

/** At most `max` characters of `text`, in a string of their own. */
export function ownHead(text: string, max: number): string {
  return ownCopy(text.length > max ? text.slice(0, max) : text);
}
