import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, type Context } from '@opentelemetry/api';

/** Where `CallScope.run` puts the call id in the OpenTelemetry context. */
export const CALL_ID_KEY = createContextKey('otel-log-policy.call.id');

/**
 * The same id, kept by our own AsyncLocalStorage: with no context manager registered (a bare
 * LoggerProvider) `context.with` sets nothing, and the call scope must still work.
 */
export const callStorage = new AsyncLocalStorage<string>();

/** The call id in `ctx` (or the active context), else the one our own storage carries. */
export function callIdIn(ctx: Context | undefined): string | undefined {
  const fromContext = (ctx ?? context.active()).getValue(CALL_ID_KEY);
  return typeof fromContext === 'string' ? fromContext : callStorage.getStore();
}

/** The id of the call whose scope is running, if any. */
export function currentCallId(): string | undefined {
  return callIdIn(undefined);
}
