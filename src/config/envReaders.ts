import { DURATION_FORMS, parseDuration } from './durations.ts';
import { LogPolicyConfigError } from './errors.ts';
import { LEVEL_NAMES, parseLevel } from './levels.ts';
import { parseSize, SIZE_FORMS } from './sizes.ts';

// Generic readers of environment variables: each reads one variable, treats an empty value as
// unset, and throws LogPolicyConfigError naming the variable, the value and what is accepted.

export type Env = Readonly<Record<string, string | undefined>>;

export const NAME = /^[A-Za-z0-9_.:/@-]{1,128}$/;

export const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Call ids are the app's own: anything printable but spaces and the list's comma. */
export const CALL_ID = /^[^\s,]{1,256}$/;

/** A set variable, trimmed; an empty value counts as unset. */
export function read(env: Env, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A set comma-list variable, its items trimmed and empty ones left out, as @opentelemetry/core's getStringListFromEnv reads one. */
export function readList(env: Env, variable: string): string[] | undefined {
  const value = read(env, variable);
  return value === undefined ? undefined : list(value);
}

/**
 * Throws when a list names one thing twice (`TX_SLOW=5s,TX_SLOW=1h`): the last would win silently,
 * so an operator who meant the first would never know. `names` are what must be unique, in order.
 */
export function distinct(variable: string, whole: string, names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new LogPolicyConfigError(variable, whole, `${what} "${name}" is given twice; accepted: each ${what} once`);
    seen.add(name);
  }
}

export function level(env: Env, variable: string, fallback: number): number {
  const value = read(env, variable);
  if (value === undefined) return fallback;
  const parsed = parseLevel(value);
  if (parsed === undefined) throw new LogPolicyConfigError(variable, value, `accepted levels: ${LEVEL_NAMES}`);
  return parsed;
}

export function duration(env: Env, variable: string, fallback: string): number {
  const value = read(env, variable) ?? fallback;
  const parsed = parseDuration(value);
  if (parsed === undefined) throw new LogPolicyConfigError(variable, value, `accepted: ${DURATION_FORMS}`);
  return parsed;
}

export function count(env: Env, variable: string, fallback: number, min: number): number {
  const value = read(env, variable);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
    throw new LogPolicyConfigError(variable, value, `accepted: a whole number from ${min} to 999999999`);
  }
  return Number(value);
}

export function key(variable: string, whole: string, item: string): string {
  if (!KEY.test(item)) throw new LogPolicyConfigError(variable, whole, `"${item}" is not a key; accepted: keys of 1-64 characters A-Z a-z 0-9 _ . : -`);
  return item;
}

export function loggerName(variable: string, whole: string, item: string): string {
  if (!NAME.test(item)) throw new LogPolicyConfigError(variable, whole, `"${item}" is not a logger name; accepted: names of 1-128 characters A-Z a-z 0-9 _ . : / @ -`);
  return item;
}

export function size(env: Env, variable: string, fallback: string): number {
  const value = read(env, variable) ?? fallback;
  const parsed = parseSize(value);
  if (parsed === undefined) throw new LogPolicyConfigError(variable, value, `accepted: ${SIZE_FORMS}`);
  return parsed;
}

/** A 1/true/0/false switch; unset is false. */
export function flag(env: Env, variable: string): boolean {
  const value = read(env, variable);
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (lower === '1' || lower === 'true') return true;
  if (lower === '0' || lower === 'false') return false;
  throw new LogPolicyConfigError(variable, value, 'accepted: 1, true, 0, false');
}

/** `on`/`off` (or 1/true/0/false); unset → the mode's default. */
export function onOff(env: Env, variable: string, fallback: boolean): boolean {
  const value = read(env, variable);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (lower === 'on' || lower === '1' || lower === 'true') return true;
  if (lower === 'off' || lower === '0' || lower === 'false') return false;
  throw new LogPolicyConfigError(variable, value, 'accepted: on, off, 1, 0, true, false');
}
