/**
 * What a failed export says about its records.
 * - `refused`: the receiver answered that it will not take this request as it is (too large, or
 *   not valid): sending the same records again gets the same answer, so they are split or dropped.
 * - `unreachable`: nothing is known to have arrived (connection refused, timed out, 5xx): keep and re-send.
 */
export type ExportFailure = 'refused' | 'unreachable';

/** gRPC status codes (the gRPC exporter's error carries them as `code`, with `details` and `metadata`). */
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_RESOURCE_EXHAUSTED = 8;

/**
 * The OTLP/HTTP exporter fails a 400 (the collector's answer to a body over `max_request_body_size`)
 * or 413 with an OTLPExporterError whose `code` is the HTTP status; the gRPC exporter fails with the
 * gRPC status: INVALID_ARGUMENT, or RESOURCE_EXHAUSTED saying the message is "larger than max"
 * (a RESOURCE_EXHAUSTED without it is a rate limit, worth a later retry).
 */
export function classifyFailure(error: unknown): ExportFailure {
  if (typeof error !== 'object' || error === null) return 'unreachable';
  const { code, details, metadata } = error as { code?: unknown; details?: unknown; metadata?: unknown };
  if (typeof code !== 'number') return 'unreachable';
  if (metadata !== undefined && code < 100) {
    if (code === GRPC_INVALID_ARGUMENT) return 'refused';
    if (code === GRPC_RESOURCE_EXHAUSTED && typeof details === 'string' && /larger than max/i.test(details)) return 'refused';
    return 'unreachable';
  }
  return code === 400 || code === 413 ? 'refused' : 'unreachable';
}
