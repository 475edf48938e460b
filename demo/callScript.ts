/**
 * The logging pattern of one simulated voice call, driving the package's public API the way a
 * voice-agent server does (the seed's pattern): per-frame debug spam from the noisy modules, a few
 * INFO lines, macro events, a repeating DSP error, TX_SLOW bursts. Time is a VirtualClock: the
 * script yields how long to wait before its next step, so one call runs alone in milliseconds
 * (`runCallScript`) or many calls interleave on one clock (`interleave.ts`).
 */
import type { Attributes } from '@opentelemetry/api';
import { getLogger, OncePerCall, RateLimiter, startCall } from '../src/index.ts';
import type { ScriptClock } from './virtualClock.ts';

export interface CallScriptOptions {
  /** The call breaks half-way: a SERVER_ERROR, the realtime link drops, the call ends early (outcome `failed`). */
  failing?: boolean;
  /** Attributes for CALL_START (e.g. the caller's number). */
  attributes?: Attributes;
}

/** Seconds between conversation turns (user speaks, the agent answers), ±15% per call. */
const TURN_S = 8;
/** Seconds between repeats of the DSP error while it lasts (the seed: "every few hundred ms"). */
const DSP_ERROR_EVERY_S = 0.3;
const TX_SLOW_PER_BURST = 8;

type Say = (message: string, attributes?: Attributes, error?: unknown) => void;
interface CountedLogger {
  debug: Say;
  info: Say;
  warn: Say;
  error: Say;
  event(name: string, attributes?: Attributes, message?: string): void;
}

/** A getLogger() logger whose every call is counted, kept or not: what the app produced. */
function counted(name: string, tally: { produced: number }): CountedLogger {
  const log = getLogger(name);
  return {
    debug: (m, a, e) => {
      tally.produced++;
      log.debug(m, a, e);
    },
    info: (m, a, e) => {
      tally.produced++;
      log.info(m, a, e);
    },
    warn: (m, a, e) => {
      tally.produced++;
      log.warn(m, a, e);
    },
    error: (m, a, e) => {
      tally.produced++;
      log.error(m, a, e);
    },
    event: (n, a, m) => {
      tally.produced++;
      log.event(n, a, m);
    },
  };
}

/** A small deterministic PRNG (mulberry32) seeded by the call id: calls differ, runs repeat. */
function seeded(text: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USER_LINES = ['I would like to book a cleaning', 'Tuesday afternoon works', 'my number is on file', 'yes, that is right', 'can you do three pm'];
const AGENT_LINES = ['Sure, let me check the calendar', 'I have Tuesday at 3 pm', 'Can I confirm your phone number?', 'You are all set', 'Anything else I can help with?'];

/**
 * One call as steps: each `next()` runs the next 20 ms frame (at `fps`) inside the call's scope and
 * yields the milliseconds until the following one; the return value is how many records the call
 * produced through the API (CALL_START and CALL_END included), whether or not the policy keeps them.
 * `clock` is the one the LogPolicyProcessor reads; the RateLimiter reads it too.
 */
export function* callSteps(clock: ScriptClock, callId: string, durationS: number, fps = 50, options: CallScriptOptions = {}): Generator<number, number, void> {
  const tally = { produced: 0 };
  const media = counted('server.media_ws_ai', tally);
  const dsp = counted('server.services.audio_dsp', tally);
  const realtime = counted('openai.realtime', tally);
  const app = counted('server.app', tally);
  const crm = counted('server.crm', tally);
  const validation = counted('server.validation', tally);
  const conversation = counted('server.conversation', tally);
  const rl = new RateLimiter({ now: clock.now });
  const once = new OncePerCall();
  const rand = seeded(callId);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  const frameMs = 1000 / fps;
  const frames = Math.max(1, Math.round(durationS * fps));
  const at = (fraction: number) => Math.floor(frames * fraction);
  const stopAt = options.failing === true ? at(0.5) : frames;
  const turn = Math.max(10, Math.round(TURN_S * (0.85 + 0.3 * rand()) * fps));
  const dspErrorEvery = Math.max(1, Math.round(DSP_ERROR_EVERY_S * fps));
  const dspErrors = [at(0.35), at(0.7)] as const;
  const txBursts = new Set([at(0.25), at(0.55), at(0.85)]);
  const bookAt = at(0.7);
  const webhookAt = Math.max(0, frames - fps);
  let burstLeft = 0;
  let dspErrorCount = 0;
  let seq = 0;

  const call = startCall(callId, { 'call.direction': 'inbound', ...options.attributes });
  tally.produced++; // CALL_START
  call.run(() => {
    realtime.info('[REALTIME] connected to gpt-realtime', { 'realtime.model': 'gpt-realtime', 'realtime.session': `sess_${callId}` });
    if (once.once('audio_mode')) media.info('[AUDIO_MODE] g711_ulaw 8kHz, barge-in on', { 'audio.codec': 'g711_ulaw' });
    app.info('[CALLER] identified returning customer', { 'customer.id': `cus_${Math.floor(rand() * 1e6)}` });
  });

  const frame = (i: number) => {
    const inTurn = i % turn;
    const userEnd = Math.floor(turn * 0.4);
    const agentStart = Math.floor(turn * 0.5);
    const agentEnd = Math.floor(turn * 0.9);
    const rms = rand() * 0.2;
    dsp.debug(`[RMS] rms=${rms.toFixed(4)} peak=${(rms * 2.5).toFixed(4)}`);
    if (inTurn < userEnd && inTurn % 5 === 0) realtime.debug(`[TRANSCRIPT] partial "${pick(USER_LINES).slice(0, 4 + (inTurn % 20))}"`);
    if (inTurn === userEnd) {
      const said = pick(USER_LINES);
      realtime.info(`[TRANSCRIPT] final "${said}"`);
      conversation.debug(`[UTTERANCE] user: "${said}"`, { 'utterance.chars': said.length });
      validation.debug('[VALIDATION] slot values ok', { 'validation.fields': 3 });
      crm.debug('[CRM] lookup customer by phone: 1 match', { 'crm.latency_ms': Math.round(40 + rand() * 80) });
      conversation.debug('[HANDLER] intent=scheduling confidence=0.93');
    }
    if (inTurn === agentStart) {
      realtime.debug('[REALTIME] response.create');
      // Said on every audio setup attempt; the policy's once-key keeps the first of the call.
      dsp.info('[DSP] enabled: highpass+limiter', { 'dsp.highpass_hz': 120 });
    }
    if (inTurn >= agentStart && inTurn < agentEnd) realtime.debug(`[AUDIO_DELTA] bytes=160 seq=${seq++}`);
    if (inTurn === agentEnd) conversation.debug(`[UTTERANCE] agent: "${pick(AGENT_LINES)}"`);
    if (rl.every('audio_drain', 5)) media.debug(`[AUDIO_DRAIN] tx=${Math.floor(rand() * 6)} out=${Math.floor(rand() * 4)}`);

    if (i >= dspErrors[0] && i < dspErrors[1] && (i - dspErrors[0]) % dspErrorEvery === 0) {
      dspErrorCount++;
      dsp.error('[DSP] ERROR: biquad state is NaN, resetting filter', { 'dsp.error_count': dspErrorCount }, new RangeError('biquad state is NaN'));
    }
    if (txBursts.has(i)) burstLeft = TX_SLOW_PER_BURST;
    if (burstLeft > 0 && i % 3 === 0) {
      burstLeft--;
      const queue = 20 + Math.floor(rand() * 40);
      media.warn(`[TX_SLOW] tx_queue=${queue} lag_ms=${Math.round(queue * 4.5)}`, { 'tx.queue': queue });
    }
    if (i === bookAt) {
      app.info('[HANDLER] intent=book_appointment', { 'handler.intent': 'book_appointment' });
      crm.debug('[CRM] create appointment payload ok');
      media.event('CREATE_APPT', { 'appointment.id': `appt_${Math.floor(rand() * 1e6)}`, 'appointment.slot': 'Tue 15:00' }, 'appointment booked for Tue 15:00');
    }
    if (i === webhookAt && options.failing !== true) media.event('WEBHOOK_CLOSE', { 'webhook.reason': 'caller_hangup' }, 'session close requested by webhook');
  };

  for (let i = 0; i < stopAt; i++) {
    call.run(() => frame(i));
    yield frameMs;
  }

  call.run(() => {
    if (options.failing === true) {
      app.error('[SERVER_ERROR] realtime session crashed', { 'error.stage': 'realtime' }, new Error('socket hang up'));
      realtime.error('[REALTIME] disconnected: socket hang up');
    } else {
      realtime.info('[REALTIME] session closed', { 'realtime.session': `sess_${callId}` });
    }
  });
  call.end({ 'call.outcome': options.failing === true ? 'failed' : 'completed' });
  tally.produced++; // CALL_END
  return tally.produced;
}

/**
 * Runs one call to its end, advancing `clock` itself; returns the number of records produced.
 * A 180 s call at 50 frames/s is 9,000 frames: milliseconds of real time.
 */
export function runCallScript(clock: ScriptClock, callId: string, durationS: number, fps = 50, options: CallScriptOptions = {}): number {
  const steps = callSteps(clock, callId, durationS, fps, options);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    clock.advance(step.value);
  }
}
