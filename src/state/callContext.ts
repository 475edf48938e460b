import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
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

/**
 * A call whose id is learnt after it opened (an automatic call scope, src/calls/, named by its
 * stream's start message): records logged before the name is known are held by it and given back
 * to the processor with the final id.
 */
export interface PendingCall extends CallHandle {
  /** Provisional (the URL's or a generated id) until named; then the final id. */
  readonly id: string;
  /** True until the call is named or its deadline passes: its records are held, not processed. */
  readonly pending: boolean;
  /** Holds the record until the call is named; false when it cannot (then the call is named first). */
  hold(processor: LogRecordProcessor, record: ReadWriteLogRecord, context: Context | undefined): boolean;
  /** The app opened its own call scope inside this one while it was unnamed: it takes that id and stays silent. */
  claim(id: string): void;
}

/** The automatic call whose name is still awaited in `ctx`, if any. */
export function pendingCallIn(ctx: Context | undefined): PendingCall | undefined {
  return pendingCall(callIn(ctx));
}

/** `call`, if it is an automatic call whose name is still awaited. */
export function pendingCall(call: CallHandle | undefined): PendingCall | undefined {
  return (call as Partial<PendingCall> | undefined)?.pending === true ? (call as PendingCall) : undefined;
}

/**
 * `startCall` inside an automatic call that is not named yet (a server that scopes its calls
 * itself): the automatic one takes the app's id and emits no lifecycle of its own, so the call is
 * not started twice. Its held records go out after the app's CALL_START.
 */
export function claimPendingCall(parent: Context, id: string): void {
  pendingCallIn(parent)?.claim(id);
}
