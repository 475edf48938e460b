import { OVERFLOW_KEY, type KeyBudget } from '../state/KeyBudget.ts';
import type { RecorderStats } from './hooks/recorder/FlightRecorder.ts';
import { DROP_REASONS, type DropReason } from '../policy/verdict.ts';
import type { ExportStatsSnapshot } from './export/ExportStats.ts';

/** A snapshot of what the processor has done since it was created. */
export interface PolicyStats {
  /** Records that reached `onEmit` (records refused by `enabled()` are never built, so never seen). */
  seen: number;
  forwarded: number;
  dropped: number;
  droppedByReason: Record<DropReason, number>;
  /** By record key; records without a key count under `(none)`, keys beyond the cap under `(overflow)`. */
  droppedByKey: Record<string, number>;
  /** Records past a call's budget held and sent before its CALL_END (LOG_POLICY_CALL_TAIL). */
  tailSent: number;
  /** Repeated errors let through as WARN with a count. */
  downgraded: number;
  callsOpen: number;
  callsEvicted: number;
  /** Distinct keys tracked across open calls (repeat errors, drop counts), and lookups that overflowed a cap. */
  keysTracked: number;
  keysOverflowed: number;
  /** The downstream processor threw; the record is counted here, never thrown into the app. */
  downstreamErrors: number;
  /** The policy itself failed on a record; it was forwarded unchanged. */
  internalErrors: number;
  /** Records logged in a call after its CALL_END: held to the ended call's rules, never re-opening it. */
  afterEnd: number;
  /** With `logPolicyProcessors()`: what happened to forwarded records on their way out. */
  export?: ExportStatsSnapshot;
  /** Open calls held to development thresholds (escalated). */
  callsEscalated: number;
  /** The flight recorder's counts; undefined when LOG_POLICY_RECORDER is off. */
  recorder: RecorderStats | undefined;
}

/** Distinct keys kept in the process-wide drop counts. */
const MAX_STAT_KEYS = 1024;
export const NO_KEY = '(none)';

export class StatsCounter {
  seen = 0;
  forwarded = 0;
  dropped = 0;
  downgraded = 0;
  downstreamErrors = 0;
  internalErrors = 0;
  afterEnd = 0;
  private readonly byReason = new Float64Array(DROP_REASONS.length);
  /** Drops per key, each in a one-element array: a drop costs one lookup, not a lookup and a store. */
  private readonly byKey = new Map<string, [number]>();

  countDrop(reasonIndex: number, key: string | undefined): void {
    this.countDropIn(reasonIndex, this.cellOf(key));
  }

  /** One more drop for this reason, in a key's cell (see cellOf). */
  countDropIn(reasonIndex: number, cell: [number]): void {
    this.dropped++;
    this.byReason[reasonIndex]!++;
    cell[0]++;
  }

  /** The drop count of `key` (records without one: `(none)`), made if new; a cell stays the key's for the counter's life. */
  cellOf(key: string | undefined): [number] {
    const slot = key ?? NO_KEY;
    return this.byKey.get(slot) ?? this.newCell(slot);
  }

  private newCell(slot: string): [number] {
    const at = this.byKey.size < MAX_STAT_KEYS ? slot : OVERFLOW_KEY;
    let cell = this.byKey.get(at);
    if (cell === undefined) this.byKey.set(at, (cell = [0]));
    return cell;
  }

  snapshot(callsOpen: number, callsEvicted: number, keys: KeyBudget): Omit<PolicyStats, 'callsEscalated' | 'recorder' | 'tailSent'> {
    return {
      seen: this.seen,
      forwarded: this.forwarded,
      dropped: this.dropped,
      droppedByReason: Object.fromEntries(DROP_REASONS.map((reason, i) => [reason, this.byReason[i]!])) as Record<DropReason, number>,
      droppedByKey: Object.fromEntries([...this.byKey].map(([key, [n]]) => [key, n])),
      downgraded: this.downgraded,
      callsOpen,
      callsEvicted,
      keysTracked: keys.used,
      keysOverflowed: keys.overflowed,
      downstreamErrors: this.downstreamErrors,
      internalErrors: this.internalErrors,
      afterEnd: this.afterEnd,
    };
  }
}
