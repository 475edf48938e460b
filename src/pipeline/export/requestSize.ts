import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

/**
 * Upper bounds on the size of an OTLP logs request, so batches can be cut by bytes before the
 * receiver refuses them (the project's collector takes at most 8 MiB a request, gRPC receivers
 * 4 MiB by default). The bound follows the OTLP/JSON encoding the OTLP/HTTP exporter writes
 * (JSON.stringify, then UTF-8); protobuf (OTLP/HTTP-proto, gRPC) encodes the same record in fewer
 * bytes, so the bound holds for every OTLP exporter.
 */

/** Field names, quotes and numbers of one record outside its strings and attributes (times, severity, ids, flags). */
const RECORD_OVERHEAD = 360;
/** `{"key":…,"value":…},` around one attribute or map entry. */
const ENTRY_OVERHEAD = 20;
/** A resource's or a scope's own wrapping, once per distinct resource or scope in a request. */
const GROUP_OVERHEAD = 160;
/** The request's own wrapping. */
export const REQUEST_OVERHEAD = 32;
/** Values nested deeper than this are counted as a flat guess (the sanitizer stops at 8). */
const MAX_DEPTH = 16;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON.stringify escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Bytes of `JSON.stringify(s)` in UTF-8, quotes included. `rough`: a bound without reading the
 * characters (6 bytes a UTF-16 unit, the widest escape), for the first, cheap pass.
 */
export function jsonStringBytes(s: string, rough = false): number {
  if (rough) return 6 * s.length + 2;
  const utf8 = Buffer.byteLength(s, 'utf8');
  if (!NEEDS_ESCAPE.test(s)) return utf8 + 2;
  let bytes = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff)
      bytes += 6; // a lone surrogate is written as \udxxx
    else bytes += 3;
  }
  return bytes;
}

/** Bytes of one AnyValue as OTLP/JSON writes it (`{"stringValue":…}`, `{"kvlistValue":{"values":[…]}}`, …). */
export function anyValueBytes(value: unknown, depth = 0, rough = false): number {
  switch (typeof value) {
    case 'string':
      return 16 + jsonStringBytes(value, rough);
    case 'number':
      return 40;
    case 'boolean':
      return 20;
    case 'object':
      break;
    default:
      return 2;
  }
  if (value === null) return 2;
  if (depth >= MAX_DEPTH) return 64;
  if (value instanceof Uint8Array) return 17 + Math.ceil(value.length / 3) * 4;
  if (Array.isArray(value)) {
    let bytes = 28;
    for (const item of value) bytes += 1 + anyValueBytes(item, depth + 1, rough);
    return bytes;
  }
  return 29 + attributesBytes(value as Record<string, unknown>, depth + 1, rough);
}

/** Bytes of an attribute list (or a map body's entries). */
export function attributesBytes(attributes: Readonly<Record<string, unknown>> | undefined, depth = 0, rough = false): number {
  if (attributes === undefined) return 0;
  let bytes = 2;
  for (const key of Object.keys(attributes)) bytes += ENTRY_OVERHEAD + jsonStringBytes(key, rough) + anyValueBytes(attributes[key], depth, rough);
  return bytes;
}

/** Bytes one record adds to a request, without its resource and scope. */
export function recordBytes(record: ReadableLogRecord, rough = false): number {
  let bytes = RECORD_OVERHEAD + anyValueBytes(record.body, 0, rough) + attributesBytes(record.attributes, 0, rough);
  if (record.eventName !== undefined) bytes += jsonStringBytes(record.eventName, rough);
  if (record.severityText !== undefined) bytes += jsonStringBytes(record.severityText, rough);
  return bytes;
}

function resourceBytes(record: ReadableLogRecord): number {
  const schema = record.resource.schemaUrl;
  return GROUP_OVERHEAD + attributesBytes(record.resource.attributes) + (schema === undefined ? 0 : jsonStringBytes(schema));
}

function scopeBytes(record: ReadableLogRecord): number {
  const { name, version, schemaUrl } = record.instrumentationScope;
  let bytes = GROUP_OVERHEAD + jsonStringBytes(name);
  if (version !== undefined) bytes += jsonStringBytes(version);
  if (schemaUrl !== undefined) bytes += jsonStringBytes(schemaUrl);
  const attributes = (record.instrumentationScope as { attributes?: Record<string, unknown> }).attributes;
  return bytes + attributesBytes(attributes);
}

/**
 * Cuts `records` (in order) into requests of at most `maxBytes` each. A record that alone is over
 * the limit travels alone (the receiver decides; if it refuses, that record alone is dropped).
 */
export function splitByBytes(records: readonly ReadableLogRecord[], maxBytes: number): ReadableLogRecord[][] {
  // Most batches are far below the limit even counted at 6 bytes a character: no need to read the strings.
  if (requestBytes(records, true) <= maxBytes) return records.length === 0 ? [] : [records as ReadableLogRecord[]];
  const requests: ReadableLogRecord[][] = [];
  let current: ReadableLogRecord[] = [];
  let bytes = REQUEST_OVERHEAD;
  let resources = new Set<unknown>();
  let scopes = new Set<unknown>();
  for (const record of records) {
    let size = recordBytes(record);
    const newResource = !resources.has(record.resource);
    const newScope = !scopes.has(record.instrumentationScope);
    if (newResource) size += resourceBytes(record);
    if (newScope) size += scopeBytes(record);
    if (current.length > 0 && bytes + size > maxBytes) {
      requests.push(current);
      current = [];
      resources = new Set();
      scopes = new Set();
      size = recordBytes(record) + resourceBytes(record) + scopeBytes(record);
      bytes = REQUEST_OVERHEAD;
    }
    current.push(record);
    resources.add(record.resource);
    scopes.add(record.instrumentationScope);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** Upper bound on the bytes of one request holding `records` (`rough`: a looser one that reads no string). */
export function requestBytes(records: readonly ReadableLogRecord[], rough = false): number {
  let bytes = REQUEST_OVERHEAD;
  const resources = new Set<unknown>();
  const scopes = new Set<unknown>();
  for (const record of records) {
    bytes += recordBytes(record, rough);
    if (!resources.has(record.resource)) bytes += resourceBytes(record);
    if (!scopes.has(record.instrumentationScope)) bytes += scopeBytes(record);
    resources.add(record.resource);
    scopes.add(record.instrumentationScope);
  }
  return bytes;
}
