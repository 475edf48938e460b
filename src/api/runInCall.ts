import { AsyncResource } from 'node:async_hooks';
import { context, createContextKey, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { callStorage, type CallHandle } from '../state/callContext.ts';
import { heldRegistry } from '../state/apiRegistry.ts';

/** A call that runs code in its scope; its fields below `ctx` are its memo of the context manager. */
export interface RunnableCall extends CallHandle {
  /** The call's OpenTelemetry context (its id and its span over the parent). */
  readonly ctx: Context;
  /** The context manager registered when the call last ran, and whether it carries a context. */
  managerSeen: unknown;
  /** The API's registry, once it exists (see heldRegistry). */
  registry: Record<string, unknown> | undefined;
  managerCarries: boolean;
  /** The frame `callFrame` hands out, once captured (undefined for calls that never use it). */
  frame: AsyncResource | undefined;
}

const PROBE = createContextKey('otel-log-policy.probe');

/** Does `context.with` set what `context.active()` answers (a context manager that propagates)? */
function managerCarries(): boolean {
  const probe = ROOT_CONTEXT.setValue(PROBE, true);
  return context.with(probe, () => context.active() === probe);
}

/** Brings the call's memo of the context manager up to date with the one registered now. */
function seeManager(call: RunnableCall): void {
  const manager = heldRegistry(call)?.['context'];
  if (manager === call.managerSeen) return;
  call.managerSeen = manager;
  call.managerCarries = manager !== undefined && managerCarries();
  // A captured frame holds the storage of the manager it was made under.
  call.frame = undefined;
}

/**
 * Runs `fn` in the call with one async-context switch, not two: in the OpenTelemetry context when
 * the registered context manager carries it (NodeSDK registers one), else in the package's own
 * AsyncLocalStorage (a bare LoggerProvider: `context.with` sets nothing). Each switch copies the
 * async context frame, a few hundred ns, and a call's socket runs every message through here.
 * `callIdIn` reads the context first and the storage second, so either way finds the call.
 */
export function runInCall<A extends unknown[], R>(call: RunnableCall, fn: (...args: A) => R, thisArg: unknown, ...args: A): R {
  seeManager(call);
  if (call.managerCarries) return context.with(call.ctx, fn, thisArg, ...args);
  return callStorage.run(call, () => fn.apply(thisArg, args));
}

/**
 * The async context frame captured once inside the call (again if the context manager changed):
 * `frame.runInAsyncScope(fn, thisArg, ...args)` swaps one pointer where `runInCall` has Node copy
 * the frame (in, and back out). The frame also holds the other storages as they were when it was
 * captured, so this is for code the call owns (its socket's events), not for `CallScope.run`, which
 * keeps the caller's.
 */
export function callFrame(call: RunnableCall): AsyncResource {
  seeManager(call);
  if (call.frame !== undefined) return call.frame;
  const capture = () => new AsyncResource('otel-log-policy.call');
  // The frame keeps the call in the package's storage too (once, not per event): a socket handle
  // moved into it still names the call if another context manager is registered later.
  call.frame = runInCall(call, call.managerCarries ? () => callStorage.run(call, capture) : capture, undefined);
  return call.frame;
}

/**
 * Is the call's scope the one running now, as `runInCall` or its frame would set it? A socket whose
 * handle was moved into the call's frame delivers its events already in it; others need the switch.
 */
export function isRunning(call: RunnableCall): boolean {
  seeManager(call);
  if (call.managerCarries) return (call.managerSeen as ContextManager).active() === call.ctx;
  return callStorage.getStore() === call;
}
