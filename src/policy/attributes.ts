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
} as const;

/** Instrumentation scopes of the pino and winston bridges: one fixed scope each, so the logger name is an attribute. */
export const BRIDGE_SCOPES: ReadonlySet<string> = new Set([
  '@opentelemetry/instrumentation-pino',
  '@opentelemetry/instrumentation-winston',
  '@opentelemetry/winston-transport',
]);
