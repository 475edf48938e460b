import type { AnyValue, AttributeValue, Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { ExportStats } from '../export/ExportStats.ts';
import { Redactor } from './Redactor.ts';
import { ForwardingProcessor } from '../ForwardingProcessor.ts';

export interface RedactingOptions {
  /** An extra pattern (LOG_POLICY_REDACT_PATTERNS); its matches become `[REDACTED:custom]`. */
  extraPattern?: RegExp | undefined;
  stats?: ExportStats;
}

/**
 * Redacts phone numbers, e-mail addresses, API keys, bearer tokens and card numbers in bodies and
 * attribute values before export. It sits after the policy, so dropped records cost nothing. If
 * redaction itself fails on a record, the record is dropped (and counted) rather than sent unredacted.
 */
export class RedactingProcessor extends ForwardingProcessor {
  readonly stats: ExportStats;
  private readonly redactor: Redactor;

  constructor(downstream: LogRecordProcessor, options: RedactingOptions = {}) {
    super(downstream);
    this.stats = options.stats ?? new ExportStats();
    this.redactor = new Redactor(options.extraPattern, this.stats.redacted);
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    try {
      const body = record.body;
      const redacted = this.redactor.value(body, 0);
      if (redacted !== body) record.setBody(redacted as AnyValue);
      const attributes = record.attributes;
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        const next = this.redactor.attribute(key, value);
        if (next !== value) record.setAttribute(key, next as AttributeValue);
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
