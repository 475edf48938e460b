import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** Where `CallScope.run` puts the call id (or an automatic call's handle) in the OpenTelemetry context. */
export const CALL_ID_KEY = createContextKey('otel-log-policy.call.id');

/**
 * A call whose id is learnt after it opened (an automatic call scope, named by its stream's start
 * message): the context carries this object instead of the id, so records logged before the name is
 * known can be held and released with it.
 */
export interface CallHandle {
  /** Provisional (the URL's or a generated id) until named; then the final id. */
  readonly id: string;
  /** True until the call is named or its deadline passes: its records are held, not processed. */
  readonly pending: boolean;
  /** Holds the record until the call is named; false when it cannot (then the call is named first). */
  hold(processor: LogRecordProcessor, record: ReadWriteLogRecord, context: Context | undefined): boolean;
  /** The app opened its own call scope inside this one while it was unnamed: it takes that id and stays silent. */
  claim(id: string): void;
}

/**
 * The same id, kept by our own AsyncLocalStorage: with no context manager registered (a bare
 * LoggerProvider) `context.with` sets nothing, and the call scope must still work.
 */
export const callStorage = new AsyncLocalStorage<string | CallHandle>();

/** Automatic calls still waiting for their name, process-wide: while 0 the processor skips the lookup. */
let pendingCalls = 0;

export function pendingCallOpened(): void {
  pendingCalls++;
}

export function pendingCallSettled(): void {
  pendingCalls--;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'object' && value !== null ? (value as CallHandle).id : undefined;
}

/** The call id in `ctx` (or the active context), else the one our own storage carries. */
export function callIdIn(ctx: Context | undefined): string | undefined {
  return idOf((ctx ?? context.active()).getValue(CALL_ID_KEY)) ?? idOf(callStorage.getStore());
}

/** The id of the call whose scope is running, if any. */
export function currentCallId(): string | undefined {
  return callIdIn(undefined);
}

/** The automatic call whose name is still awaited in `ctx`, if any (cheap while none is pending). */
export function pendingCallIn(ctx: Context | undefined): CallHandle | undefined {
  if (pendingCalls === 0) return undefined;
  const value = (ctx ?? context.active()).getValue(CALL_ID_KEY) ?? callStorage.getStore();
  return typeof value === 'object' && value !== null && (value as CallHandle).pending ? (value as CallHandle) : undefined;
}

/**
 * `startCall` inside an automatic call that is not named yet (a server that scopes its calls
 * itself): the automatic one takes the app's id and emits no lifecycle of its own, so the call is
 * not started twice. Its held records go out after the app's CALL_START.
 */
export function claimPendingCall(parent: Context, id: string): void {
  pendingCallIn(parent)?.claim(id);
}
