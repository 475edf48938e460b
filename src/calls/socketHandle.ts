/** The pieces of a `net.Socket` (or `tls.TLSSocket`) this touches: its native handle, as Node 22 and 24 have it. */
interface SocketWithHandle {
  _handle?: { asyncReset?: (resource: object) => void; getAsyncId?: () => number } | null;
}

/**
 * Moves an accepted socket's native handle into the async context frame that is current (the
 * call's): from then on Node enters that frame itself before each of the socket's callbacks, so
 * its reads, and the websocket events they emit, arrive in the call without a switch per event
 * (about 2 µs each in a voice server, for 50 or more events a second per call). Node's HTTP agent
 * moves a reused keep-alive socket's handle the same way (`asyncReset`, then the socket's own
 * async id); async_hooks see the handle initialised again, as they do there.
 *
 * Returns the handle's new async id: while one of its callbacks runs, `executionAsyncId()` is that
 * id, which tells an event straight from the handle (already in the frame) from one emitted
 * elsewhere. Undefined where the socket has no such handle (another runtime, a socket-like
 * stream): its events then switch into the call one by one, as before.
 */
export function moveHandleHere(socket: unknown): number | undefined {
  const handle = (socket as SocketWithHandle | null | undefined)?._handle;
  if (typeof handle?.asyncReset !== 'function' || typeof handle.getAsyncId !== 'function') return undefined;
  try {
    handle.asyncReset(handle);
    const id = handle.getAsyncId();
    const idKey = Object.getOwnPropertySymbols(socket).find((key) => key.description === 'async_id_symbol');
    if (idKey !== undefined) (socket as Record<symbol, unknown>)[idKey] = id;
    return id;
  } catch {
    return undefined;
  }
}
