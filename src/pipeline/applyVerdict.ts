import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR } from '../policy/attributes.ts';
import type { RecordFacts } from '../policy/facts.ts';
import type { Counted, Downgrade } from '../policy/verdict.ts';
import type { CallState } from '../state/CallState.ts';
import { callSummary } from './callSummary.ts';

/** A repeated error let through as WARN: the count in place of the stack, which the first occurrence carried. */
export function applyDowngrade(record: ReadWriteLogRecord, verdict: Downgrade, facts: RecordFacts): void {
  record.setSeverityNumber(verdict.severity);
  record.setSeverityText('WARN');
  record.setAttribute(ATTR.repeatCount, verdict.repeatCount);
  const body = typeof record.body === 'string' ? record.body : facts.errorGroup;
  record.setBody(`${body} (repeated ${verdict.repeatCount} times since the last report)`);
  delete record.attributes[ATTR.exceptionStacktrace];
}

/** A repeated key or template let through by the template limit: how many of its kind were suppressed since the last one. */
export function applyCounted(record: ReadWriteLogRecord, verdict: Counted): void {
  record.setAttribute(ATTR.suppressedCount, verdict.suppressed);
}

/**
 * The stamps of a record that passes: its call's id (written straight into the attributes: the
 * SDK's setAttribute validates and counts each value, the costliest step of a passing record, and
 * a string id needs neither), a keyless record's template likewise (not on a record already over
 * the SDK's attribute limit), and on macro events the key and event name.
 */
export function stampPassing(record: ReadWriteLogRecord, facts: RecordFacts): void {
  if (facts.callIdFromContext) record.attributes[ATTR.callId] = facts.callId!;
  if (facts.template !== undefined && record.droppedAttributesCount === 0) record.attributes[ATTR.template] = facts.template;
  if (!facts.isMacro) return;
  record.setAttribute(ATTR.key, facts.key);
  if (record.eventName === undefined) record.setEventName(facts.key!);
}

/** CALL_END carries the call's summary: how long it took and what the policy removed from it. */
export function stampCallEnd(record: ReadWriteLogRecord, call: CallState, now: number): void {
  record.setAttributes(callSummary(call, now));
}
