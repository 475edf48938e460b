import type { Attributes } from '@opentelemetry/api';

/** What an adapter read from a message: the call's id (checked by the caller) and extra attributes. */
export interface CallName {
  readonly id: unknown;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/**
 * A media-stream protocol's way of naming its call. `callIdFrom` gets each of the first text
 * messages of a connection, parsed as JSON, until one names the call; it returns undefined when
 * the message is not the one that names calls, or the id it finds (valid or not: a start message
 * with a missing or unusable id ends the wait, and the call takes its fallback id).
 *
 *   const acme: CallProtocol = {
 *     name: 'acme',
 *     callIdFrom: (m) => (m as { type?: string }).type === 'hello' ? { id: (m as { session?: string }).session } : undefined,
 *   };
 */
export interface CallProtocol {
  /** Stamped as `call.named_by` on CALL_START; counted under it in the stats. */
  readonly name: string;
  callIdFrom(message: unknown): CallName | undefined;
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** The `start` message's nested `start` object, if the message is one. */
function startOf(message: unknown): Json | undefined {
  const m = object(message);
  return m?.['event'] === 'start' ? (object(m['start']) ?? {}) : undefined;
}

/** Twilio Media Streams: `{"event":"start","start":{"callSid","streamSid",...}}`, after `connected`. */
export const TWILIO: CallProtocol = {
  name: 'twilio',
  callIdFrom(message) {
    const start = startOf(message);
    if (start === undefined) return undefined;
    return { id: start['callSid'], attributes: { 'call.stream_id': start['streamSid'] ?? object(message)!['streamSid'] } };
  },
};

/** Telnyx media streaming: `{"event":"start","stream_id",...,"start":{"call_control_id",...}}`. */
export const TELNYX: CallProtocol = {
  name: 'telnyx',
  callIdFrom(message) {
    const start = startOf(message);
    if (start?.['call_control_id'] === undefined) return undefined;
    return { id: start['call_control_id'], attributes: { 'call.stream_id': object(message)!['stream_id'] } };
  },
};

/** Exotel AgentStream (Stream / Voicebot applets): `{"event":"start","stream_sid",...,"start":{"call_sid","stream_sid",...}}`. */
export const EXOTEL: CallProtocol = {
  name: 'exotel',
  callIdFrom(message) {
    const start = startOf(message);
    if (start?.['call_sid'] === undefined) return undefined;
    return { id: start['call_sid'], attributes: { 'call.stream_id': start['stream_sid'] ?? object(message)!['stream_sid'] } };
  },
};

/** Built in, tried in this order after the app's own; the first valid id wins. */
export const CALL_PROTOCOLS: readonly CallProtocol[] = Object.freeze([TELNYX, EXOTEL, TWILIO]);

/** Attribute values kept from a message: short strings only (a stream id, not whatever a peer sends). */
export function safeAttributes(from: Readonly<Record<string, unknown>> | undefined): Attributes {
  const out: Attributes = {};
  if (from === undefined) return out;
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === 'string' && value.length > 0 && value.length <= 256) out[key] = value;
  }
  return out;
}
