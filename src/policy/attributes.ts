/** Attribute names this package reads or stamps on records. */
export const ATTR = {
  callId: 'call.id',
  key: 'log.key',
  loggerName: 'logger.name',
  name: 'name',
  exceptionType: 'exception.type',
  exceptionStacktrace: 'exception.stacktrace',
  repeatCount: 'log.repeat_count',
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
