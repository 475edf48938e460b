import { SeverityNumber } from '@opentelemetry/api';

/** Level names accepted in env values, any case. */
const LEVELS: Readonly<Record<string, SeverityNumber>> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  warning: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
};

export const LEVEL_NAMES = 'trace, debug, info, warn (or warning), error, fatal';

/** Level name → SeverityNumber, or undefined when the name is not a level. */
export function parseLevel(text: string): SeverityNumber | undefined {
  return Object.hasOwn(LEVELS, text.toLowerCase()) ? LEVELS[text.toLowerCase()] : undefined;
}

/** SeverityNumber → the lower-case name of its range (DEBUG3 → "debug"). */
export function levelName(severity: number): string {
  if (severity >= SeverityNumber.FATAL) return 'fatal';
  if (severity >= SeverityNumber.ERROR) return 'error';
  if (severity >= SeverityNumber.WARN) return 'warn';
  if (severity >= SeverityNumber.INFO) return 'info';
  if (severity >= SeverityNumber.DEBUG) return 'debug';
  return 'trace';
}
