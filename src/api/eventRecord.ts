import { SeverityNumber, type Attributes, type LogRecord } from '@opentelemetry/api';

/** A macro event: INFO, event name `name`, body starting `[NAME]` so text-only sinks still see the key. */
export function eventRecord(name: string, attributes?: Attributes, message?: string): LogRecord {
  return {
    eventName: name,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: message === undefined ? `[${name}]` : `[${name}] ${message}`,
    attributes,
  };
}
