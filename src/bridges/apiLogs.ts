import { logs, type LoggerProvider } from '@opentelemetry/api';
import { logs as apiLogs, type LoggerProvider as ApiLogsLoggerProvider } from '@opentelemetry/api-logs';
import { guardBridgeLoggers } from './guardedBridges.ts';

/**
 * Registers `provider` (default: the one registered in `@opentelemetry/api`, e.g. by NodeSDK) in
 * the separate global of `@opentelemetry/api-logs` too: the winston transport still reads that one,
 * and NodeSDK 0.301 does not register there. Keeps a provider already registered there. Its
 * loggers for the pino and winston bridges are guarded from then on (see guardBridgeLoggers).
 */
export function linkApiLogsGlobal(provider: LoggerProvider = logs.getLoggerProvider()): void {
  guardBridgeLoggers(provider);
  // The two packages declare the same Logger shape separately; the SDK's provider implements both.
  apiLogs.setGlobalLoggerProvider(provider as unknown as ApiLogsLoggerProvider);
}
