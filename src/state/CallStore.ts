import type { KeyBudget } from './KeyBudget.ts';
import { CallState } from './CallState.ts';
import { internedCopy } from '../config/boundedStrings.ts';

/** Ended calls remembered, so records logged after CALL_END are known as such (a few hundred bytes each: 1,024 of them stay under half a MiB, and a late record comes seconds after its end). */
export const RECENTLY_ENDED = 1024;

/**
 * Per-call state by call id, with the state of records outside calls beside it. Calls are freed
 * when they end; calls that never end are evicted after the TTL, and the oldest beyond `maxCalls`.
 */
export class CallStore {
  readonly outside: CallState;
  /** Insertion order is start order, so the oldest calls are first. */
  private readonly calls = new Map<string, CallState>();
  private readonly ttlMs: number;
  private readonly maxCalls: number;
  private nextSweepAt: number;
  /**
   * Calls whose CALL_END passed, newest last, bounded: a record logged in one after its end meets
   * its final state (its budget, once-keys, rate limits) and never re-opens it.
   */
  private readonly ended = new Map<string, CallState>();
  private readonly maxEnded: number;
  evicted = 0;
  readonly keys: KeyBudget;
  /** Told about each call evicted (TTL or cap) rather than ended, so per-call extras can be freed. */
  onEvict: ((state: CallState) => void) | undefined;
  /** `peek`'s last answer: the id is the state's own kept copy, never the caller's string. */
  private lastId: string | undefined = undefined;
  private lastState: CallState | undefined = undefined;

  constructor(ttlMs: number, maxCalls: number, now: number, keys: KeyBudget, maxEnded = RECENTLY_ENDED) {
    this.ttlMs = ttlMs;
    this.maxEnded = maxEnded;
    this.maxCalls = maxCalls;
    this.keys = keys;
    this.outside = new CallState(undefined, now, keys);
    this.nextSweepAt = now + this.sweepEvery();
  }

  get open(): number {
    return this.calls.size;
  }

  /** The call's state, opened on first sight. */
  get(id: string, now: number): CallState {
    let state = this.calls.get(id);
    if (state === undefined) {
      if (this.calls.size >= this.maxCalls) this.evictOldest();
      // Kept for the call's life (up to the TTL): a copy, since an id sliced from a URL would keep the URL alive.
      const own = internedCopy(id);
      state = new CallState(own, now, this.keys);
      this.calls.set(own, state);
    }
    return state;
  }

  /** The open call's state, else a recently ended call's final one (`ended` set). */
  peek(id: string): CallState | undefined {
    // A call's records come in runs: the last answer first (interned ids compare by pointer).
    if (id === this.lastId) return this.lastState;
    const state = this.calls.get(id) ?? this.ended.get(id);
    if (state !== undefined) {
      this.lastId = state.id;
      this.lastState = state;
    }
    return state;
  }

  /** Forgets the last answer of `peek`: a call left the store (ended calls stay, as the same state). */
  private forgetPeek(): void {
    this.lastId = undefined;
    this.lastState = undefined;
  }

  get endedKept(): number {
    return this.ended.size;
  }

  /** Frees the call's state and hands it back for the summary; it is kept among the recently ended. */
  end(id: string): CallState | undefined {
    const state = this.calls.get(id);
    if (state === undefined) return undefined;
    this.calls.delete(id);
    state.releaseKeys();
    state.ended = true;
    if (this.ended.size >= this.maxEnded) this.forgetEnded(this.ended.keys().next().value!);
    this.ended.set(id, state);
    return state;
  }

  /** A new CALL_START with an ended call's id opens a new call: the old one is forgotten. */
  forgetEnded(id: string): void {
    const state = this.ended.get(id);
    if (state === undefined) return;
    this.forgetPeek();
    this.ended.delete(id);
    // Keys a late record took are given back with it.
    state.releaseKeys();
  }

  /** Evicts calls older than the TTL; cheap when nothing is due. */
  sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.sweepEvery();
    for (const [id, state] of this.calls) {
      if (now - state.startedAt < this.ttlMs) break;
      this.forgetPeek();
      this.calls.delete(id);
      state.releaseKeys();
      this.evicted++;
      this.onEvict?.(state);
    }
  }

  private evictOldest(): void {
    const oldest = this.calls.entries().next();
    if (oldest.done === true) return;
    const [id, state] = oldest.value;
    this.forgetPeek();
    state.releaseKeys();
    this.calls.delete(id);
    this.evicted++;
    this.onEvict?.(state);
  }

  /** Sweep often enough that a call outlives its TTL by at most a tenth of it (and a minute at most). */
  private sweepEvery(): number {
    return Math.min(this.ttlMs / 10, 60_000);
  }
}
