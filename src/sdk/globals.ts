/**
 * `@opentelemetry/api` keeps its registered globals on this well-known symbol, shared by every copy
 * of the API (that is how copies agree); reading it tells whether a provider is registered without
 * registering anything or touching the API's proxies.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/** Has some SDK already registered a global provider of this kind in `@opentelemetry/api`? */
export function isRegistered(kind: 'logs' | 'trace'): boolean {
  const registry = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_GLOBALS];
  return registry?.[kind] !== undefined;
}
