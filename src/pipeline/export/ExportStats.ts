import type { RedactionKind } from '../redact/patterns.ts';
import { zeroCounts } from '../redact/Redactor.ts';

/** What happened to records after the policy let them through: made safe, redacted, queued, exported, retried. */
export interface ExportStatsSnapshot {
  /** String bodies (or strings/byte arrays inside bodies and attributes) cut to their cap. */
  truncated: number;
  /** Values that are not OTLP values (circular references, bigint, NaN, Infinity, functions, class instances) replaced or removed. */
  replaced: number;
  /** Attributes over the SDK's count limit (`logRecordLimits.attributeCountLimit`, 128 by default), dropped by the SDK. */
  attributesDropped: number;
  redacted: Record<RedactionKind, number>;
  /** Records the guard itself failed on: sanitizing fell back to a placeholder body, redaction dropped the record. */
  guardErrors: number;
  /** Records the BatchLogRecordProcessor dropped because its queue was full. */
  queueDropped: number;
  /** Records in exports that succeeded / failed (after the exporter's own retries). */
  exported: number;
  exportFailed: number;
  /** Lifecycle and ERROR records held for re-sending, re-sent, and lost because the buffer was full. */
  retryBuffered: number;
  retryResent: number;
  retryOverflowed: number;
  /** Records the receiver refused (HTTP 400/413, gRPC INVALID_ARGUMENT or "larger than max") even when sent alone: dropped, never re-sent. */
  refused: number;
  /** Refused requests split in halves, each half sent once (recursively, down to single records). */
  refusedSplits: number;
  /** Requests added by cutting batches to the byte limit (`LOG_POLICY_MAX_EXPORT_BYTES`). */
  byteSplits: number;
}

export class ExportStats {
  truncated = 0;
  replaced = 0;
  attributesDropped = 0;
  guardErrors = 0;
  queueDropped = 0;
  exported = 0;
  exportFailed = 0;
  retryBuffered = 0;
  retryResent = 0;
  retryOverflowed = 0;
  refused = 0;
  refusedSplits = 0;
  byteSplits = 0;
  readonly redacted: Record<RedactionKind, number> = zeroCounts();

  snapshot(): ExportStatsSnapshot {
    return {
      truncated: this.truncated,
      replaced: this.replaced,
      attributesDropped: this.attributesDropped,
      redacted: { ...this.redacted },
      guardErrors: this.guardErrors,
      queueDropped: this.queueDropped,
      exported: this.exported,
      exportFailed: this.exportFailed,
      retryBuffered: this.retryBuffered,
      retryResent: this.retryResent,
      retryOverflowed: this.retryOverflowed,
      refused: this.refused,
      refusedSplits: this.refusedSplits,
      byteSplits: this.byteSplits,
    };
  }
}
