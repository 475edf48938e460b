import { registeredProvider } from '../api/registeredProvider.ts';

/** Has some SDK already registered a global provider of this kind in `@opentelemetry/api`? */
export function isRegistered(kind: 'logs' | 'trace'): boolean {
  return registeredProvider(kind) !== undefined;
}
