import { apiRegistry } from '../state/apiRegistry.ts';

type Kind = 'logs' | 'trace' | 'metrics';

/**
 * The provider of this kind registered in the API now, or undefined: cheap enough for a disabled
 * log call to check that what it was bound for is still registered.
 */
export function registeredProvider(kind: Kind): unknown {
  return apiRegistry()?.[kind];
}
