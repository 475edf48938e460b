import { OVERFLOW_KEY } from './KeyBudget.ts';

/**
 * A small string-keyed table in one flat array, `stride` slots a row: `[key, value…, key, value…]`.
 * Per-call state is kept this way because 10,000 open calls must stay small: V8's smallest Map or
 * Set costs several times the few keys a call holds. A row is found by a linear scan (tables are
 * capped at a few dozen keys), and the table grows by an exact-size copy, which is rare.
 */
export type FlatTable = unknown[];

/** The index of `key`'s row, or -1. */
export function rowOf(table: FlatTable | undefined, key: unknown, stride: number): number {
  if (table === undefined) return -1;
  for (let i = 0; i < table.length; i += stride) if (table[i] === key) return i;
  return -1;
}

/** A copy of `table` (exactly sized) with one more row. */
export function withRow(table: FlatTable | undefined, row: readonly unknown[]): FlatTable {
  const n = table === undefined ? 0 : table.length;
  const out = new Array<unknown>(n + row.length);
  for (let i = 0; i < n; i++) out[i] = table![i];
  for (let i = 0; i < row.length; i++) out[n + i] = row[i];
  return out;
}

/** Rows in `table`, the overflow row not counted (it takes no room from the key budget). */
export function keysIn(table: FlatTable | undefined, stride: number): number {
  if (table === undefined) return 0;
  let n = 0;
  for (let i = 0; i < table.length; i += stride) if (table[i] !== OVERFLOW_KEY) n++;
  return n;
}
