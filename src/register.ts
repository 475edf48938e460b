/**
 * Zero-code entry: `node --import otel-log-policy/register app.js` starts OpenTelemetry with the
 * logging policy before the app's own modules load.
 */
import { autoStart } from './sdk/autoStart.ts';

// Awaited, so the SDK is registered before the app's first module loads.
await autoStart();
