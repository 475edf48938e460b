import protobuf from 'protobufjs';
import type { OtlpLogsRequest } from './otlpJson.ts';

// The part of opentelemetry-proto (collector/logs/v1, logs/v1, common/v1, resource/v1) a test reads,
// with its field numbers, so the sink decodes what the http/protobuf exporter sends.
const SCHEMA = `
syntax = "proto3";
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message LogRecord {
  fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11; int32 severity_number = 2; string severity_text = 3;
  AnyValue body = 5; repeated KeyValue attributes = 6; uint32 dropped_attributes_count = 7; fixed32 flags = 8;
  bytes trace_id = 9; bytes span_id = 10; string event_name = 12;
}
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
`;

const request = protobuf.parse(SCHEMA).root.lookupType('ExportLogsServiceRequest');

const hex = (base64: unknown) => (typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('hex') : undefined);

/** A binary ExportLogsServiceRequest in the OTLP/JSON shape (int64 as strings, bytes as base64, ids as lowercase hex). */
export function decodeLogsProtobuf(body: Uint8Array): OtlpLogsRequest {
  const decoded = request.toObject(request.decode(body), { longs: String, bytes: String }) as OtlpLogsRequest;
  for (const resourceLogs of decoded.resourceLogs ?? []) {
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      for (const record of scopeLogs.logRecords ?? []) Object.assign(record, { traceId: hex(record.traceId), spanId: hex(record.spanId) });
    }
  }
  return decoded;
}
