import { SeverityNumber } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR } from '../../policy/attributes.ts';

export const RETRY_OVERFLOW_KEY = 'LOG_POLICY_RETRY_OVERFLOW';

/** The WARN record sent once the collector is back, saying how many lifecycle/ERROR records the retry buffer could not hold. */
export function overflowReport(template: ReadableLogRecord, lost: number): ReadableLogRecord {
  const now = millisToHrTime(Date.now());
  return {
    hrTime: now,
    hrTimeObserved: now,
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: `[LOG_POLICY] retry buffer overflowed, ${lost} records lost while the collector was unreachable`,
    eventName: RETRY_OVERFLOW_KEY,
    resource: template.resource,
    instrumentationScope: { name: 'otel-log-policy' },
    attributes: { [ATTR.key]: RETRY_OVERFLOW_KEY, 'log.lost_count': lost },
    droppedAttributesCount: 0,
  };
}
