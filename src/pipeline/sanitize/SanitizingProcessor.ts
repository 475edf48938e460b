import type { AnyValue, AttributeValue, Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { ExportStats } from '../export/ExportStats.ts';
import { MAX_KEY_LENGTH } from '../../policy/facts.ts';
import { ownHead } from './ownCopy.ts';
import { safeValue } from './safeValue.ts';
import { ForwardingProcessor } from '../ForwardingProcessor.ts';

export interface SanitizingOptions {
  maxBodyLength: number;
  maxAttributeLength: number;
  stats?: ExportStats;
}

export const UNSERIALIZABLE = '[unserializable body]';

/**
 * Makes every record exportable: bodies, attribute values and event names are cut to their caps and stripped of
 * what the OTLP serializer cannot take (see safeValue). What it changes is counted; a record is
 * never thrown away here, and nothing is thrown into the code that logs.
 */
export class SanitizingProcessor extends ForwardingProcessor {
  readonly stats: ExportStats;
  private readonly maxBody: number;
  private readonly maxAttribute: number;

  constructor(downstream: LogRecordProcessor, options: SanitizingOptions) {
    super(downstream);
    this.maxBody = options.maxBodyLength;
    this.maxAttribute = options.maxAttributeLength;
    this.stats = options.stats ?? new ExportStats();
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    try {
      const body = record.body;
      const safe = safeValue(body, this.maxBody, this.maxBody, this.stats);
      if (safe !== body) record.setBody(safe as AnyValue);
      // An event name is a key (and a stream field in VictoriaLogs): cut like the policy's keys, so a
      // 9 MiB name cannot make a request the receiver refuses.
      const eventName = record.eventName;
      if (typeof eventName === 'string' && eventName.length > MAX_KEY_LENGTH) {
        record.setEventName(ownHead(eventName, MAX_KEY_LENGTH));
        this.stats.truncated++;
      }
      const attributes = record.attributes;
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        const next = safeValue(value, this.maxAttribute, this.maxAttribute, this.stats);
        if (next !== value) record.setAttribute(key, next as AttributeValue);
      }
      this.stats.attributesDropped += record.droppedAttributesCount;
    } catch {
      this.stats.guardErrors++;
      try {
        record.setBody(UNSERIALIZABLE);
      } catch {
        // The record stays as it was; the serializer's own guard is the last line.
      }
    }
    try {
      this.downstream.onEmit(record, context);
    } catch {
      this.stats.guardErrors++;
    }
  }
}
