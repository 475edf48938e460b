/**
 * `@opentelemetry/api` keeps its registered globals on this well-known symbol, shared by every copy
 * of the API (that is how copies agree). Reading it tells which provider is registered now without
 * registering anything or going through the API's proxies: one property read, cheap enough for a
 * disabled log call to check that what it was bound for is still registered.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

type Kind = 'logs' | 'trace' | 'metrics';

/** The provider of this kind registered in the API now, or undefined. */
export function registeredProvider(kind: Kind): unknown {
  return apiRegistry()?.[kind];
}

/** The API's registry object itself, if any API copy has registered anything yet (it is never replaced once made). */
export function apiRegistry(): Record<string, unknown> | undefined {
  return (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_GLOBALS];
}
