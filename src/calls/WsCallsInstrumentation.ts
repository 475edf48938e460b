import { executionAsyncId } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { Attributes } from '@opentelemetry/api';
import { loadCallsConfig } from '../config/callsConfig.ts';
import { CALL_ID } from '../config/envReaders.ts';
import { callFrame, isRunning } from '../api/runInCall.ts';
import { AutoCall, type CallHost, type CallTimers, type FallbackSource } from './AutoCall.ts';
import { CallsCounters, type CallsStats } from './CallsCounters.ts';
import { pathMatcher } from './pathGlob.ts';
import { moveHandleHere } from './socketHandle.ts';
import { CALL_PROTOCOLS, type CallProtocol } from './protocols.ts';

/** Where a socket that is a call keeps its call and what its `emit` was. */
const SOCKET_CALL = Symbol('otel-log-policy.socketCall');
interface SocketCall {
  readonly call: AutoCall;
  readonly emit: WsSocket['emit'];
  /** The handle's async id once moved into the call (see moveHandleHere). */
  readonly handleId: number | undefined;
  /** Until the call is named, its messages are inspected for the name (`call.pending`, kept here so a named call's events never touch the call). */
  naming: boolean;
}
type OwnedSocket = WsSocket & { [SOCKET_CALL]?: SocketCall };

/**
 * Every socket's `emit` while it is a call: one function for all of them, so the call site in `ws`
 * sees one target however many calls are open. Every event goes through it, whatever registered
 * its listener (on, once, addEventListener, onmessage).
 */
function emitInCall(this: OwnedSocket, event: string | symbol, ...args: unknown[]): boolean {
  const owned = this[SOCKET_CALL];
  // Called on another object (an emit copied elsewhere): not a call's socket.
  if (owned === undefined) return EventEmitter.prototype.emit.call(this, event, ...args);
  if (event === 'message') {
    if (owned.naming) {
      owned.call.inspect(args[0], args[1]);
      owned.naming = owned.call.pending;
    }
  } else if (event === 'close') {
    try {
      return switchedIn(this, owned, event, args);
    } finally {
      // After the app's own close listeners, so their records come before CALL_END.
      owned.call.end(args[0]);
    }
  }
  if (executionAsyncId() !== owned.handleId) return switchedIn(this, owned, event, args);
  // passOn, written out: in a voice server each level of call on this path costs about as much as
  // the rest of it (every event runs with cold caches after the system calls that brought it).
  const { emit } = owned;
  if (args.length === 2) return emit.call(this, event, args[0], args[1]);
  if (args.length === 1) return emit.call(this, event, args[0]);
  return passOn(this, emit, event, args);
}

/** `emit(event, ...args)` with the arguments as they came, by fixed arity where it can (the events of `ws` carry at most two). */
function passOn(socket: WsSocket, emit: WsSocket['emit'], event: string | symbol, args: unknown[]): boolean {
  switch (args.length) {
    case 0:
      return emit.call(socket, event);
    case 1:
      return emit.call(socket, event, args[0]);
    case 2:
      return emit.call(socket, event, args[0], args[1]);
    default:
      return emit.call(socket, event, ...args);
  }
}

/** An event from anywhere but the moved handle (a tick, a timer, the app's own emit): switched into the call unless already there. */
function switchedIn(socket: WsSocket, { call, emit }: SocketCall, event: string | symbol, args: unknown[]): boolean {
  return isRunning(call) ? passOn(socket, emit, event, args) : callFrame(call).runInAsyncScope(emit, socket, event, ...args);
}

/** The `ws` releases whose `WebSocketServer.prototype.handleUpgrade(req, socket, head, cb)` this hooks. */
export const SUPPORTED_WS_VERSIONS: readonly string[] = Object.freeze(['>=8.0.0 <9']);

export interface CallsOptions extends InstrumentationConfig {
  /** URL paths or globs whose websocket upgrades are calls; default LOG_POLICY_CALL_PATHS, else every upgrade. */
  paths?: readonly string[];
  /** The app's own protocols, tried before the built-in ones (Twilio, Telnyx, Exotel). */
  protocols?: readonly CallProtocol[];
  /** How long a call waits for its name before it takes its fallback id (default 2000 ms). */
  namingDeadlineMs?: number;
  /** Records and bytes (approximate) a call holds while unnamed (default 256 and 256 KiB). */
  maxHeldRecords?: number;
  maxHeldBytes?: number;
  /** Timers and millisecond clock (tests pass fake ones). */
  timers?: CallTimers;
  now?: () => number;
}

/** The pieces of `ws` this touches, as they are in 8.x. */
interface WsSocket {
  emit(event: string | symbol, ...args: unknown[]): boolean;
}
type UpgradeCallback = (socket: WsSocket, request: IncomingMessage) => unknown;
type HandleUpgrade = (this: unknown, req: IncomingMessage, socket: unknown, head: unknown, cb: UpgradeCallback) => unknown;
interface WsServerClass {
  prototype: { handleUpgrade: HandleUpgrade };
}

const DEFAULT_TIMERS: CallTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** `WebSocketServer` from `require('ws')` (the WebSocket class, with the server as a property) or the ESM namespace. */
function serverClassOf(exports: unknown): WsServerClass | undefined {
  const e = exports as Record<string, unknown> | undefined;
  const server = e?.['WebSocketServer'] ?? e?.['Server'] ?? (e?.['default'] as Record<string, unknown> | undefined)?.['WebSocketServer'];
  return typeof server === 'function' && typeof (server as WsServerClass).prototype?.handleUpgrade === 'function' ? (server as WsServerClass) : undefined;
}

/** The fallback id: `call_id` or `callSid` in the URL's query, else an `x-call-id` header, else a new UUID. */
function fallbackOf(request: IncomingMessage, url: URL | undefined): [string, FallbackSource] {
  for (const name of ['call_id', 'callSid']) {
    const value = url?.searchParams.get(name);
    if (value != null && CALL_ID.test(value)) return [value, 'url'];
  }
  const header = request.headers?.['x-call-id'];
  if (typeof header === 'string' && CALL_ID.test(header)) return [header, 'header'];
  return [randomUUID(), 'generated'];
}

/**
 * Automatic call scopes: every websocket connection a `ws` `WebSocketServer` accepts (also under
 * `@fastify/websocket`, `express-ws`) on a matching path is a call. The socket's events run in the
 * call's scope (the socket's data callbacks run in the context of the server's accept, not the
 * request's, so its `emit` is bound to the call), and so does whatever its listeners start.
 * Pass it to `new NodeSDK({ instrumentations })` or use {@link instrumentCalls}; it must be enabled
 * before `ws` is first loaded (ESM imports also need `hookBridgedImports()`).
 */
export class WsCallsInstrumentation extends InstrumentationBase<CallsOptions> {
  private host: CallHost | undefined;
  private matches: ((path: string) => boolean) | undefined;

  constructor(options: CallsOptions = {}) {
    super('otel-log-policy/calls', '0.1.0', options);
  }

  /** What the call scopes have done so far. */
  stats(): CallsStats {
    return this.hostOf().counters.snapshot();
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'ws',
        [...SUPPORTED_WS_VERSIONS],
        (exports: unknown) => {
          const server = serverClassOf(exports);
          // ESM and CommonJS share the class: whichever loads second finds it wrapped.
          if (server !== undefined && !isWrapped(server.prototype.handleUpgrade))
            this._wrap(server.prototype, 'handleUpgrade', (original: HandleUpgrade) => this.wrapUpgrade(original));
          return exports;
        },
        (exports: unknown) => {
          const server = serverClassOf(exports);
          if (server !== undefined && isWrapped(server.prototype.handleUpgrade)) this._unwrap(server.prototype, 'handleUpgrade');
        },
      ),
    ];
  }

  /** Built on first use: the base constructor runs `init` and `enable` before this class's fields exist. */
  private hostOf(): CallHost {
    if (this.host !== undefined) return this.host;
    const options = this.getConfig();
    const paths = options.paths ?? loadCallsConfig(process.env).callPaths;
    this.matches = pathMatcher(paths);
    this.host = {
      protocols: [...(options.protocols ?? []), ...CALL_PROTOCOLS],
      namingDeadlineMs: options.namingDeadlineMs ?? 2_000,
      maxHeldRecords: options.maxHeldRecords ?? 256,
      maxHeldBytes: options.maxHeldBytes ?? 256 * 1024,
      maxInspected: 16,
      maxMessageBytes: 64 * 1024,
      timers: options.timers ?? DEFAULT_TIMERS,
      now: options.now ?? performance.now.bind(performance),
      counters: new CallsCounters(),
    };
    return this.host;
  }

  private wrapUpgrade(original: HandleUpgrade): HandleUpgrade {
    const instrumentation = this;
    return function handleUpgrade(this: unknown, req, socket, head, cb) {
      if (typeof cb !== 'function' || !instrumentation.isEnabled()) return original.call(this, req, socket, head, cb);
      return original.call(this, req, socket, head, (ws, request) => {
        let call: AutoCall | undefined;
        try {
          call = instrumentation.open(request ?? req, ws, socket);
        } catch {
          call = undefined; // Never cost the app its connection.
        }
        return call === undefined ? cb(ws, request) : call.run(() => cb(ws, request));
      });
    };
  }

  private open(request: IncomingMessage, ws: WsSocket, socket: unknown): AutoCall | undefined {
    const host = this.hostOf();
    let url: URL | undefined;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      url = undefined;
    }
    const path = url?.pathname ?? '/';
    if (!this.matches!(path)) return undefined;
    const [fallbackId, source] = fallbackOf(request, url);
    const attributes: Attributes = { 'url.path': path.slice(0, 256), 'call.transport': 'websocket' };
    const call = new AutoCall(host, fallbackId, source, attributes);
    // Moved into the call's frame, the socket's handle delivers its events already in the call
    // (see moveHandleHere); those take no switch and no lookup, only the check of its async id.
    const handleId = callFrame(call).runInAsyncScope(moveHandleHere, undefined, socket);
    if (handleId !== undefined) host.counters.handlesMoved++;
    const owned = ws as OwnedSocket;
    owned[SOCKET_CALL] = { call, emit: ws.emit, handleId, naming: true };
    owned.emit = emitInCall;
    return call;
  }
}

/** Turns on automatic call scopes for `ws` servers (call before `ws` is loaded); returns the instrumentation. */
export function instrumentCalls(options: CallsOptions = {}): WsCallsInstrumentation {
  return new WsCallsInstrumentation(options);
}
