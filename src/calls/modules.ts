/** The modules the automatic call scopes hook (their ESM imports need the loader hook too). */
export const CALL_MODULES: readonly string[] = ['ws'];
