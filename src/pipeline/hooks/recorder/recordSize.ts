import type { AnyValue } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** The record object itself, its timestamps, span context and attribute map, before any content. */
const RECORD_OVERHEAD = 256;
const VALUE_OVERHEAD = 16;
/** Nested values deeper than this are counted flat: an estimate, not a walk of hostile structures. */
const MAX_DEPTH = 4;

function valueSize(value: AnyValue | undefined, depth: number): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return VALUE_OVERHEAD + value.length;
  if (typeof value !== 'object') return 8;
  if (value instanceof Uint8Array) return VALUE_OVERHEAD + value.byteLength;
  if (depth >= MAX_DEPTH) return VALUE_OVERHEAD;
  let size = VALUE_OVERHEAD;
  if (Array.isArray(value)) {
    for (const item of value) size += valueSize(item as AnyValue, depth + 1);
  } else {
    for (const key in value) size += key.length + valueSize((value as Record<string, AnyValue>)[key], depth + 1);
  }
  return size;
}

/**
 * Approximate memory a held record costs: a fixed overhead plus string lengths and 8 bytes per
 * number. Cheap enough to run on every record the recorder keeps; it is what the byte caps count.
 */
export function approximateSize(record: ReadWriteLogRecord): number {
  return RECORD_OVERHEAD + (record.eventName?.length ?? 0) + valueSize(record.body, 0) + valueSize(record.attributes as AnyValue, 0);
}
