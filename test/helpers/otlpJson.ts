/** OTLP/JSON logs (what the OTLP/HTTP exporter sends and the collector's file exporter writes), flattened for tests. */

interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
/** An ExportLogsServiceRequest in OTLP/JSON. */
export interface OtlpLogsRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: Array<{
      scope?: { name?: string };
      logRecords?: Array<{
        timeUnixNano?: string;
        eventName?: string;
        severityNumber?: number;
        severityText?: string;
        body?: OtlpAnyValue;
        attributes?: OtlpKeyValue[];
        traceId?: string;
        spanId?: string;
      }>;
    }>;
  }>;
}

/** One log record with its resource and scope; empty ids and event names read as undefined. */
export interface FlatLogRecord {
  resource: Record<string, unknown>;
  scope: string;
  timeUnixNano: string | undefined;
  severityNumber: number | undefined;
  severityText: string | undefined;
  body: unknown;
  attributes: Record<string, unknown>;
  eventName: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
}

/** OTLP/JSON AnyValue → a plain JS value (int64 as number: tests use small ones). */
function plain(value: OtlpAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plain);
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values);
  return undefined;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = plain(value);
  return out;
}

const present = (text: string | undefined) => (text === '' ? undefined : text);

export function flattenLogs(request: OtlpLogsRequest): FlatLogRecord[] {
  const out: FlatLogRecord[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributesOf(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        out.push({
          resource,
          scope: sl.scope?.name ?? '',
          timeUnixNano: r.timeUnixNano,
          severityNumber: r.severityNumber,
          severityText: r.severityText,
          body: plain(r.body),
          attributes: attributesOf(r.attributes),
          eventName: present(r.eventName),
          traceId: present(r.traceId),
          spanId: present(r.spanId),
        });
      }
    }
  }
  return out;
}
