import { register as registerAsyncHooks } from 'node:module';
import { register as registerSyncHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import { BRIDGED_MODULES } from './instrumentations.ts';
import { CALL_MODULES } from '../calls/modules.ts';

/**
 * An ESM `import pino from 'pino'` bypasses require hooks: import-in-the-middle's loader hook lets
 * the instrumentations patch it. Limited to the bridged modules and `ws` (automatic call scopes),
 * so nothing else pays for it.
 */
export function hookBridgedImports(options: { calls?: boolean } = {}): void {
  // `ws` only when calls are scoped automatically (the default): with LOG_POLICY_AUTO_CALLS=0 nothing needs it.
  const include = [...BRIDGED_MODULES, ...(options.calls === false ? [] : CALL_MODULES)];
  if (supportsSyncHooks()) registerSyncHooks({ include });
  else registerAsyncHooks('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
}
