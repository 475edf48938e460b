import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, type Context } from '@opentelemetry/api';
import type { FlatTable } from './flatTable.ts';

/** Where `CallScope.run` puts the running call in the OpenTelemetry context. */
export const CALL_ID_KEY = createContextKey('otel-log-policy.call');

/**
 * The running call as the context carries it: its id, and the values per-call helpers
 * (RateLimiter, OncePerCall) keep for it, which live and die with the call.
 */
export interface CallHandle {
  readonly id: string;
  /** Rows of `[owner, FlatTable of [key, value] rows]`, created on first use. */
  locals: FlatTable | undefined;
}

/**
 * The same handle, kept by an AsyncLocalStorage: with no context manager registered (a bare
 * LoggerProvider) `context.with` sets nothing, and the call scope must still work. The storage
 * is a key, like the context key above; the values live in the async contexts of the call.
 */
export const callStorage = new AsyncLocalStorage<CallHandle>();

/** The call in `ctx` (or the active context), else the one our own storage carries. */
export function callIn(ctx: Context | undefined): CallHandle | undefined {
  const fromContext = (ctx ?? context.active()).getValue(CALL_ID_KEY);
  if (fromContext !== undefined) return typeof fromContext === 'string' ? { id: fromContext, locals: undefined } : (fromContext as CallHandle);
  return callStorage.getStore();
}

/** The call id in `ctx` (or the active context), else the one our own storage carries. */
export function callIdIn(ctx: Context | undefined): string | undefined {
  const fromContext = (ctx ?? context.active()).getValue(CALL_ID_KEY);
  if (fromContext !== undefined) return typeof fromContext === 'string' ? fromContext : (fromContext as CallHandle).id;
  return callStorage.getStore()?.id;
}

/** The id of the call whose scope is running, if any. */
export function currentCallId(): string | undefined {
  return callIdIn(undefined);
}
