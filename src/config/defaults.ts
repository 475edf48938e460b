import { SeverityNumber } from '@opentelemetry/api';
import type { PolicyMode } from './policyConfig.ts';

export const MACRO_EVENTS = Object.freeze(['BOOT', 'CALL_START', 'REALTIME', 'CREATE_APPT', 'DSP', 'WEBHOOK_CLOSE', 'CALL_END', 'SERVER_ERROR'] as const);

/** The seed's six noisy modules, plus Node's usual chatty clients. */
export const DEFAULT_NOISY_MODULES = Object.freeze([
  'server.media_ws_ai',
  'server.services.audio_dsp',
  'websockets',
  'urllib3',
  'httpx',
  'openai',
  'ws',
  'undici',
  'axios',
  'socket.io',
  'engine.io',
  'grpc',
]);

export const DEFAULT_RATE_LIMITS = 'AUDIO_DELTA=10s,RMS=10s,TX_SLOW=5s,AUDIO_DRAIN=5s';
export const DEFAULT_ONCE_KEYS = 'DSP,AUDIO_MODE';
export const DEFAULT_ERROR_REPEAT = '30s';
export const DEFAULT_CALL_TTL = '2h';
export const DEFAULT_MAX_CALLS = 50_000;
export const DEFAULT_MAX_KEYS_PER_CALL = 64;
export const DEFAULT_MAX_TRACKED_KEYS = 100_000;
export const DEFAULT_MAX_BODY = 16_384;
export const DEFAULT_MAX_ATTRIBUTE = 4_096;
export const DEFAULT_RETRY_BUFFER = 5_000;
/** Largest OTLP request: within the project's collector (8 MiB a request) and a gRPC receiver's default (4 MiB). */
export const DEFAULT_MAX_EXPORT_BYTES = '4MiB';
/** Flight recorder: bytes kept per call, and across all calls. */
export const DEFAULT_RECORDER_BYTES = '64KiB';
export const DEFAULT_RECORDER_TOTAL_BYTES = '32MiB';
/** What makes the flight recorder flush a call's ring: any ERROR/FATAL, and the SERVER_ERROR event. */
export const DEFAULT_RECORDER_FLUSH_ON = 'error,SERVER_ERROR';

/** Records of a call past its budget kept for the call's end (sent just before CALL_END). */
export const DEFAULT_CALL_TAIL = 5;
/** Percent of a call's budget one key or template may spend. */
export const DEFAULT_TEMPLATE_SHARE = 25;

export const MODE_DEFAULTS: Readonly<Record<PolicyMode, { base: number; noisy: number; budget: number; redact: boolean; templateLimit: string }>> = {
  production: { base: SeverityNumber.INFO, noisy: SeverityNumber.WARN, budget: 20, redact: true, templateLimit: '3/10s' },
  development: { base: SeverityNumber.DEBUG, noisy: SeverityNumber.INFO, budget: 0, redact: false, templateLimit: 'none' },
};
