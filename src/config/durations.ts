import ms from 'ms';

/**
 * "500ms" | "5s" | "2m" | "1h" (anything `ms` reads, but a unit is required so that a bare
 * "10" is never silently 10 milliseconds) → milliseconds; undefined when not a positive duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(trimmed)) return undefined;
  const value = ms(trimmed as ms.StringValue);
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export const DURATION_FORMS = 'a positive duration with a unit, e.g. 500ms, 5s, 2m, 1h';
