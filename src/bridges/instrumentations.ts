import type { Instrumentation } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';

/** The logging libraries whose records the official bridges send to the logs API. */
export const BRIDGED_MODULES: readonly string[] = ['pino', 'winston'];

/**
 * The official pino and winston instrumentations, for `new NodeSDK({ instrumentations })`: their
 * records reach the logs API (and so the policy) under the bridge scopes, the logger's own name as
 * the `name` attribute. They must be enabled before pino or winston is first imported.
 */
export function logBridgeInstrumentations(): Instrumentation[] {
  return [new PinoInstrumentation(), new WinstonInstrumentation()];
}
