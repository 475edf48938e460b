// `otel-log-policy/bridges`: the pino and winston bridges for an app that starts its own SDK. A
// subpath of its own, because loading the instrumentations costs start-up time every other user
// should not pay.
export { linkApiLogsGlobal } from './apiLogs.ts';
export { logBridgeInstrumentations } from './instrumentations.ts';
export { hookBridgedImports } from './esmHooks.ts';
export { instrumentCalls, WsCallsInstrumentation, SUPPORTED_WS_VERSIONS, type CallsOptions } from '../calls/WsCallsInstrumentation.ts';
export { CALL_PROTOCOLS, TWILIO, TELNYX, EXOTEL, type CallProtocol, type CallName } from '../calls/protocols.ts';
export type { CallsStats } from '../calls/CallsCounters.ts';
