import { SeverityNumber, type AnyValue, type Attributes } from '@opentelemetry/api';
import type { KeyRules } from './CompiledPolicy.ts';
import { ATTR, BRIDGE_SCOPES } from './attributes.ts';
import { TEMPLATE_MAX_LENGTH, templateOf } from './template.ts';

/** What the policy needs to know about one record, resolved once per record. */
export interface RecordFacts {
  callId: string | undefined;
  /** The call id came from the context, not the record: stamp it on the record if it passes. */
  callIdFromContext: boolean;
  key: string | undefined;
  /** A record without a key: its message template (the `log.template` attribute, else computed from a string body). */
  template: string | undefined;
  /** What the policy does with the key (macro, TX, once, rate limit). */
  rules: KeyRules;
  logger: string;
  /** SeverityNumber; a record without one counts as INFO. */
  severity: number;
  isMacro: boolean;
  /** ERROR and above: what makes two errors "the same" (key, else logger + exception type or message). */
  errorGroup: string | undefined;
}

/** Longest key the policy tracks; longer keys are cut so a hostile key cannot grow state. */
export const MAX_KEY_LENGTH = 64;

function isTagChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 58;
}

/** `[TX_SLOW] queue=12` → `TX_SLOW`; anything else → undefined. */
export function bodyTag(body: AnyValue | undefined): string | undefined {
  if (typeof body !== 'string' || body.charCodeAt(0) !== 91 /* [ */) return undefined;
  const limit = Math.min(body.length, MAX_KEY_LENGTH + 2);
  for (let i = 1; i < limit; i++) {
    const c = body.charCodeAt(i);
    if (c === 93 /* ] */) return i > 1 ? body.slice(1, i) : undefined;
    if (!isTagChar(c)) return undefined;
  }
  return undefined;
}

/** Key: attribute `log.key`, else the event name, else the body's leading `[TAG]`. */
export function keyOf(attributes: Attributes, eventName: string | undefined, body: AnyValue | undefined): string | undefined {
  const attr = attributes[ATTR.key];
  if (typeof attr === 'string' && attr !== '') return attr.length > MAX_KEY_LENGTH ? attr.slice(0, MAX_KEY_LENGTH) : attr;
  if (eventName !== undefined && eventName !== '') return eventName.length > MAX_KEY_LENGTH ? eventName.slice(0, MAX_KEY_LENGTH) : eventName;
  return bodyTag(body);
}

/** Template of a keyless record: a `log.template` attribute (cut to the cap), else the string body's. */
export function templateFor(attributes: Attributes, body: AnyValue | undefined): string | undefined {
  const given = attributes[ATTR.template];
  if (typeof given === 'string' && given !== '') return given.length > TEMPLATE_MAX_LENGTH ? given.slice(0, TEMPLATE_MAX_LENGTH) : given;
  return typeof body === 'string' ? templateOf(body) : undefined;
}

/** Logger name: the scope name; for the pino/winston bridges the `name`, then `logger.name` attribute. */
export function loggerNameOf(scopeName: string, attributes: Attributes): string {
  if (!BRIDGE_SCOPES.has(scopeName)) return scopeName;
  const name = attributes[ATTR.name] ?? attributes[ATTR.loggerName];
  return typeof name === 'string' && name !== '' ? name : scopeName;
}

export function severityOf(severityNumber: number | undefined): number {
  return severityNumber === undefined || severityNumber === SeverityNumber.UNSPECIFIED ? SeverityNumber.INFO : severityNumber;
}

/** Errors with the same key repeat each other; without a key, the same logger and exception type (or message). */
export function errorGroupOf(key: string | undefined, logger: string, attributes: Attributes, body: AnyValue | undefined): string {
  if (key !== undefined) return key;
  const type = attributes[ATTR.exceptionType];
  const what = typeof type === 'string' ? type : typeof body === 'string' ? body.slice(0, MAX_KEY_LENGTH) : '';
  return `${logger}|${what}`;
}
