import { trace, type AnyValue, type AttributeValue, type Attributes, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { ExportStats } from '../export/ExportStats.ts';
import { CALL_ID, Redactor } from './Redactor.ts';
import { ForwardingProcessor } from '../ForwardingProcessor.ts';

export interface RedactingOptions {
  /** An extra pattern (LOG_POLICY_REDACT_PATTERNS); its matches become `[REDACTED:custom]`. */
  extraPattern?: RegExp | undefined;
  stats?: ExportStats;
}

/**
 * Redacts phone numbers, e-mail addresses, API keys, secrets and card numbers in bodies (strings,
 * maps, byte arrays), attribute values and event names before export. It sits after the policy, so
 * dropped records cost nothing. If redaction itself fails on a record, the record is dropped (and
 * counted) rather than sent unredacted.
 */
export class RedactingProcessor extends ForwardingProcessor {
  readonly stats: ExportStats;
  private readonly redactor: Redactor;

  constructor(downstream: LogRecordProcessor, options: RedactingOptions = {}) {
    super(downstream);
    this.stats = options.stats ?? new ExportStats();
    this.redactor = new Redactor(options.extraPattern, this.stats.redacted);
  }

  /** What this pipeline exports for a call id: `[REDACTED:phone]#<12 hex>` for a phone number, else the id. */
  callId(id: string): string {
    return this.redactor.callId(id);
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    try {
      const body = record.body;
      const redacted = this.redactor.value(body, 0);
      if (redacted !== body) record.setBody(redacted as AnyValue);
      const eventName = record.eventName;
      if (eventName !== undefined) {
        const next = this.redactor.text(eventName);
        if (next !== eventName) record.setEventName(next);
      }
      const attributes = record.attributes;
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        const next = this.redactor.attribute(key, value);
        if (next === value) continue;
        record.setAttribute(key, next as AttributeValue);
        if (key === CALL_ID && typeof value === 'string') pseudonymizeCallSpan(context, value, next as string);
      }
    } catch {
      this.stats.guardErrors++;
      return;
    }
    try {
      this.downstream.onEmit(record, context);
    } catch {
      this.stats.guardErrors++;
    }
  }
}

/**
 * The `call` span that startCall opens carries the raw call id, and CALL_START (like every record of
 * the call) is emitted in that span's context: the pipeline that pseudonymizes the record's
 * `call.id` gives the span the same pseudonym, so a trace never holds the number the logs hide. So
 * the span is pseudonymized exactly when this pipeline redacts, with its key, and nothing global
 * says whether redaction is on. Only a span still recording and carrying this very id is touched:
 * the app's own spans never get a `call.id` they did not have. The span's other processors saw the
 * raw id at start (exporters read a span when it ends).
 */
function pseudonymizeCallSpan(context: Context | undefined, raw: string, pseudonym: string): void {
  const span = context === undefined ? undefined : trace.getSpan(context);
  if (span === undefined || !span.isRecording()) return;
  // The SDK's Span is also a ReadableSpan; another implementation without `attributes` is left alone.
  if ((span as { attributes?: Attributes }).attributes?.[CALL_ID] !== raw) return;
  span.setAttribute(CALL_ID, pseudonym);
}
