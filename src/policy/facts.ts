import { SeverityNumber, type AnyValue, type Attributes } from '@opentelemetry/api';
import { NO_KEY_RULES, type KeyRules } from './CompiledPolicy.ts';
import { ATTR, BRIDGE_SCOPES, ownAttribute, ownLogKey } from './attributes.ts';
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

/** A RecordFacts to fill in: every one has this shape, so the rules' property reads stay monomorphic. */
export function blankFacts(): RecordFacts {
  return { callId: undefined, callIdFromContext: false, key: undefined, template: undefined, rules: NO_KEY_RULES, logger: '', severity: 0, isMacro: false, errorGroup: undefined };
}

/** Longest key the policy tracks; longer keys are cut so a hostile key cannot grow state. */
export const MAX_KEY_LENGTH = 64;
/** Longest logger name read from a bridge record's attributes (the configured names are at most 128). */
export const MAX_LOGGER_LENGTH = 128;

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

/** Could `key` be a body's `[TAG]` (1–64 tag characters)? */
export function isTag(key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  for (let i = 0; i < key.length; i++) if (!isTagChar(key.charCodeAt(i))) return false;
  return true;
}

/** Does `body` start with `[tag]`? (`tag` a valid tag: then bodyTag(body) === tag, with nothing cut out.) */
export function startsWithTag(body: string, tag: string): boolean {
  const length = tag.length;
  if (body.charCodeAt(0) !== 91 /* [ */ || body.charCodeAt(length + 1) !== 93 /* ] */) return false;
  // Compared by hand: `startsWith` with a position is a builtin call, several times this for a short tag.
  for (let i = 0; i < length; i++) if (body.charCodeAt(i + 1) !== tag.charCodeAt(i)) return false;
  return true;
}

/**
 * Key: attribute `log.key`, else the event name, else the body's leading `[TAG]`. The result may be
 * a slice of a large string: what keeps it uses the own copy in `CompiledPolicy.rulesOf(key).key`.
 */
export function keyOf(attributes: Attributes, eventName: string | undefined, body: AnyValue | undefined): string | undefined {
  const attr = ownLogKey(attributes);
  if (typeof attr === 'string' && attr !== '') return cut(attr, MAX_KEY_LENGTH);
  if (typeof eventName === 'string' && eventName !== '') return cut(eventName, MAX_KEY_LENGTH);
  return bodyTag(body);
}

/** Template of a keyless record: a `log.template` attribute (cut to the cap), else the string body's. */
export function templateFor(attributes: Attributes, body: AnyValue | undefined): string | undefined {
  const given = ownAttribute(attributes, ATTR.template);
  if (typeof given === 'string' && given !== '') return given.length > TEMPLATE_MAX_LENGTH ? given.slice(0, TEMPLATE_MAX_LENGTH) : given;
  return typeof body === 'string' ? templateOf(body) : undefined;
}

/** Logger name: the scope name; for the pino/winston bridges the `name`, then `logger.name` attribute. */
export function loggerNameOf(scopeName: string, attributes: Attributes): string {
  // Every bridge scope starts with '@': most scopes are told apart without a set lookup.
  if (scopeName.charCodeAt(0) !== 64 /* @ */ || !BRIDGE_SCOPES.has(scopeName)) return scopeName;
  const name = ownAttribute(attributes, ATTR.name) ?? ownAttribute(attributes, ATTR.loggerName);
  return typeof name === 'string' && name !== '' ? cut(name, MAX_LOGGER_LENGTH) : scopeName;
}

export function severityOf(severityNumber: number | undefined): number {
  return severityNumber === undefined || severityNumber === SeverityNumber.UNSPECIFIED ? SeverityNumber.INFO : severityNumber;
}

/**
 * Errors with the same key repeat each other; without a key, the same logger and exception type (or
 * the message's head). Bounded by the caps, but possibly a slice: the repeat rule copies what it keeps.
 */
export function errorGroupOf(key: string | undefined, logger: string, attributes: Attributes, body: AnyValue | undefined): string {
  if (key !== undefined) return key;
  const type = ownAttribute(attributes, ATTR.exceptionType);
  const what = typeof type === 'string' ? cut(type, MAX_KEY_LENGTH) : typeof body === 'string' ? cut(body, MAX_KEY_LENGTH) : '';
  return `${logger}|${what}`;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
