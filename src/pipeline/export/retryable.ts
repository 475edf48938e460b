import { SeverityNumber } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR, ownAttribute } from '../../policy/attributes.ts';

/** Records worth keeping through an outage: the call lifecycle (macro events) and errors. */
export function isRetryable(record: ReadableLogRecord, macroEvents: ReadonlySet<string>): boolean {
  if ((record.severityNumber ?? 0) >= SeverityNumber.ERROR) return true;
  const key = ownAttribute(record.attributes, ATTR.key);
  return (typeof key === 'string' && macroEvents.has(key)) || (record.eventName !== undefined && macroEvents.has(record.eventName));
}
