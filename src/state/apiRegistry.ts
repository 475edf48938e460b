/**
 * `@opentelemetry/api` keeps its registered globals on this well-known symbol, shared by every copy
 * of the API (that is how copies agree). Reading it tells what is registered now without
 * registering anything or going through the API's proxies: one property read.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/** The API's registry object itself, if any API copy has registered anything yet (it is never replaced once made). */
export function apiRegistry(): Record<string, unknown> | undefined {
  return (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_GLOBALS];
}

/**
 * The registry as a holder keeps it: read until it exists, then the holder's own reference (the API
 * never replaces it). A computed read on the global object is a slow lookup, and the call's socket
 * events and the processor's records ask for the manager on every one.
 */
export function heldRegistry(holder: { registry: Record<string, unknown> | undefined }): Record<string, unknown> | undefined {
  holder.registry ??= apiRegistry();
  return holder.registry;
}
