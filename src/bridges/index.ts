// `otel-log-policy/bridges`: the pino and winston bridges for an app that starts its own SDK. A
// subpath of its own, because loading the instrumentations costs start-up time every other user
// should not pay.
export { linkApiLogsGlobal } from './apiLogs.ts';
export { logBridgeInstrumentations } from './instrumentations.ts';
export { hookBridgedImports } from './esmHooks.ts';
