import type { AttributeValue, Attributes } from '@opentelemetry/api';

/** Attribute names this package reads or stamps on records. */
export const ATTR = {
  callId: 'call.id',
  key: 'log.key',
  loggerName: 'logger.name',
  name: 'name',
  exceptionType: 'exception.type',
  exceptionStacktrace: 'exception.stacktrace',
  repeatCount: 'log.repeat_count',
  /** The message template of a record without a key (see template.ts); the console bridge may set it. */
  template: 'log.template',
  /** On a record the template limit let through: records of its key or template suppressed since the last one. */
  suppressedCount: 'log.suppressed_count',
  /** On CALL_END: the most suppressed keys and templates of the call, as "COUNT TEMPLATE" strings, most first. */
  suppressedTemplates: 'log.suppressed_templates',
  /** On CALL_END: records past the budget kept for the call's end and sent before it. */
  tailCount: 'log.tail_count',
  /** On each of those records. */
  tail: 'log.tail',
  durationMs: 'call.duration_ms',
  droppedCount: 'log.dropped_count',
  droppedByKey: 'log.dropped_by_key',
  droppedByReason: 'log.dropped_by_reason',
  producedCount: 'log.produced_count',
  forwardedCount: 'log.forwarded_count',
  /** Values (and unsafe keys) an entry point changed before the SDK built the record: see safeAttributes. */
  sanitizedCount: 'log.sanitized_count',
} as const;

/**
 * An attribute the record itself carries. Never one inherited: an own `__proto__` key (from
 * JSON.parse) replaces the prototype of the SDK's attribute map, and a plain read would then
 * answer `log.key` or `call.id` from the attacker's object (or from a polluted Object.prototype).
 */
export function ownAttribute(attributes: Attributes, name: string): AttributeValue | undefined {
  return Object.hasOwn(attributes, name) ? attributes[name] : undefined;
}

/*
 * The two attributes every record is asked for, each read at a site of its own: a read whose name
 * never changes is an inline-cache hit (an absent name included), where one site shared by several
 * names goes megamorphic (~40 ns a read). Own-ness is checked only for a value that is there.
 */

/** `ownAttribute(attributes, 'call.id')`. */
export function ownCallId(attributes: Attributes): AttributeValue | undefined {
  const value = attributes['call.id'];
  return value !== undefined && Object.hasOwn(attributes, 'call.id') ? value : undefined;
}

/** `ownAttribute(attributes, 'log.key')`. */
export function ownLogKey(attributes: Attributes): AttributeValue | undefined {
  const value = attributes['log.key'];
  return value !== undefined && Object.hasOwn(attributes, 'log.key') ? value : undefined;
}

/** Instrumentation scopes of the pino and winston bridges: one fixed scope each, so the logger name is an attribute. */
export const BRIDGE_SCOPES: ReadonlySet<string> = new Set(['@opentelemetry/instrumentation-pino', '@opentelemetry/instrumentation-winston', '@opentelemetry/winston-transport']);
