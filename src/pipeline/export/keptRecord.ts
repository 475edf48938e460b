import type { AnyValue, Attributes } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ownHead } from '../sanitize/ownCopy.ts';
import { MAX_DEPTH } from '../sanitize/safeValue.ts';

/** OpenTelemetry's semantic convention for a record id: records with the same id are duplicates a backend can drop. */
export const RECORD_UID = 'log.record.uid';

export interface KeptCaps {
  /** Longest string body (and string inside a structured body), in characters. */
  maxBody: number;
  /** Longest string attribute value, in characters. */
  maxAttribute: number;
  /** Longest event name, in characters. */
  maxEventName: number;
}

/** The record as it is exported, with a `log.record.uid` attribute: a re-sent copy carries the same id as the first send. */
export function withUid(record: ReadableLogRecord, uid: string): ReadableLogRecord {
  return {
    hrTime: record.hrTime,
    hrTimeObserved: record.hrTimeObserved,
    ...(record.spanContext === undefined ? {} : { spanContext: record.spanContext }),
    ...(record.severityText === undefined ? {} : { severityText: record.severityText }),
    ...(record.severityNumber === undefined ? {} : { severityNumber: record.severityNumber }),
    ...(record.body === undefined ? {} : { body: record.body }),
    ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
    resource: record.resource,
    instrumentationScope: record.instrumentationScope,
    attributes: { ...record.attributes, [RECORD_UID]: uid },
    droppedAttributesCount: record.droppedAttributesCount,
  };
}

function ownValue(value: unknown, max: number, depth: number): unknown {
  if (typeof value === 'string') return ownHead(value, max);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) return value.slice(0, max); // a typed array's slice is a copy
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => ownValue(item, max, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[ownHead(key, max)] = ownValue((value as Record<string, unknown>)[key], max, depth + 1);
  return out;
}

/**
 * What the retry buffer keeps of a record: every string copied into one of its own, cut to the
 * caps. A record kept for minutes must not hold alive the megabyte body its 16 KiB head was cut
 * from (with redaction off, the exported body can be a slice of the app's string).
 */
export function keptCopy(record: ReadableLogRecord, caps: KeptCaps): ReadableLogRecord {
  const attributes: Attributes = {};
  for (const key of Object.keys(record.attributes)) {
    attributes[ownHead(key, caps.maxAttribute)] = ownValue(record.attributes[key], caps.maxAttribute, 1) as Attributes[string];
  }
  return {
    hrTime: record.hrTime,
    hrTimeObserved: record.hrTimeObserved,
    ...(record.spanContext === undefined ? {} : { spanContext: record.spanContext }),
    ...(record.severityText === undefined ? {} : { severityText: ownHead(record.severityText, caps.maxEventName) }),
    ...(record.severityNumber === undefined ? {} : { severityNumber: record.severityNumber }),
    ...(record.body === undefined ? {} : { body: ownValue(record.body, caps.maxBody, 0) as AnyValue }),
    ...(record.eventName === undefined ? {} : { eventName: ownHead(record.eventName, caps.maxEventName) }),
    resource: record.resource,
    instrumentationScope: record.instrumentationScope,
    attributes,
    droppedAttributesCount: record.droppedAttributesCount,
  };
}
