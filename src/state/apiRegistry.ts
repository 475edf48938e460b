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
