/** Units of a size in env values: IEC binary multiples, so "64KiB" means exactly 65536 bytes. */
const UNITS: Readonly<Record<string, number>> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/**
 * "65536" | "512B" | "64KiB" | "32MiB" | "1.5GiB" → whole bytes; undefined when not a positive size.
 * KB/MB are refused rather than guessed (1000 or 1024?).
 */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = match[2]!.toLowerCase();
  const multiple = unit === '' ? 1 : Object.hasOwn(UNITS, unit) ? UNITS[unit]! : undefined;
  if (multiple === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * multiple);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

export const SIZE_FORMS = 'a positive size in bytes, optionally with a unit B, KiB, MiB or GiB, e.g. 65536, 64KiB, 32MiB';

/** 65536 → "64KiB", for messages. */
export function formatSize(bytes: number): string {
  for (const [unit, multiple] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= multiple && bytes % multiple === 0) return `${bytes / multiple}${unit}`;
  }
  return `${bytes}B`;
}
