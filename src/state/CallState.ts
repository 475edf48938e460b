import { OVERFLOW_KEY, type KeyBudget } from './KeyBudget.ts';
import { keysIn, rowOf, withRow, type FlatTable } from './flatTable.ts';
import type { CallTail } from './CallTail.ts';

/** Rows of `repeats`: error group, occurrences since the last one that passed, when that one passed. */
export const REPEAT_STRIDE = 3;
/** Rows of `droppedByKey`: key, records dropped. */
export const DROP_STRIDE = 2;
/**
 * Rows of `templates`, one per key or message template: passes counted against the burst, when
 * one last passed the limit, suppressed since the last one forwarded, suppressed in all, budget spent.
 */
export const TEMPLATE_STRIDE = 6;
export const TPL = { passes: 1, lastPass: 2, pending: 3, suppressed: 4, spent: 5 } as const;

/**
 * What the policy remembers about one call (or, with no id, about records outside any call).
 * Collections are created on first use: most calls touch few of them, and 10,000 open calls
 * must stay small (plain arrays: a small typed array costs several times its contents).
 */
export class CallState {
  readonly id: string | undefined;
  readonly startedAt: number;
  produced = 0;
  forwarded = 0;
  dropped = 0;
  budgetUsed = 0;
  /** Once-keys spent, by the policy's once-key index: a bit each for the first 31 (a call keeps no array for them). */
  onceBits = 0;
  onceMore: number[] | undefined;
  /** Indexed by the policy's rate-limit index: when that key last passed. */
  rateLastPass: number[] | undefined;
  repeats: FlatTable | undefined;
  /** Indexed by the drop reason's index (the policy's DROP_REASONS); unset slots are 0. */
  droppedByReason: number[] | undefined;
  droppedByKey: FlatTable | undefined;
  /** The template limit's and the budget share's rows (see TEMPLATE_STRIDE). */
  templates: FlatTable | undefined;
  /** Records past the budget held for the call's end; made on first use. */
  tail: CallTail | undefined;
  /** Records of the tail sent before CALL_END. */
  tailSent = 0;
  /** Held to the development thresholds with no budget (see escalation.ts). */
  escalated = false;
  /** Which route escalated it (an EscalationRoute), stamped on its first record. */
  escalatedBy: string | undefined = undefined;
  /** An ERROR/FATAL or SERVER_ERROR passed: the flight recorder flushes this call's ring, also at CALL_END. */
  failed = false;
  /** Its CALL_END passed: kept only among the recently ended, so late records meet its rules without re-opening it. */
  ended = false;
  /** Key room already given back, so a late record's keys are given back too, and none twice. */
  private keysReleased = 0;

  /** Shared by every call of one processor: caps keys per call and across calls. */
  readonly keys: KeyBudget;

  constructor(id: string | undefined, startedAt: number, keys: KeyBudget) {
    this.id = id;
    this.startedAt = startedAt;
    this.keys = keys;
  }

  /** Gives back the key room this call took; its maps stay readable for the CALL_END summary. */
  releaseKeys(): void {
    const held = keysIn(this.repeats, REPEAT_STRIDE) + keysIn(this.droppedByKey, DROP_STRIDE) + keysIn(this.templates, TEMPLATE_STRIDE);
    this.keys.giveBack(held - this.keysReleased);
    this.keysReleased = held;
  }

  /**
   * The row of `key` in `templates`, made if new: with room from the key budget, else in place of
   * a row that holds nothing worth keeping (idle for `idleMs`, nothing pending, no budget spent,
   * nothing suppressed that CALL_END would report), else the shared overflow row.
   */
  templateRow(key: string, now: number, idleMs: number): number {
    let at = rowOf(this.templates, key, TEMPLATE_STRIDE);
    if (at >= 0) return at;
    const table = this.templates;
    if (this.keys.admit(table === undefined ? 0 : table.length / TEMPLATE_STRIDE)) {
      this.templates = withRow(table, [key, 0, Number.NEGATIVE_INFINITY, 0, 0, 0]);
      return this.templates.length - TEMPLATE_STRIDE;
    }
    for (let i = 0; i < table!.length; i += TEMPLATE_STRIDE) {
      if (
        table![i] !== OVERFLOW_KEY &&
        now - (table![i + TPL.lastPass] as number) >= idleMs &&
        table![i + TPL.pending] === 0 &&
        table![i + TPL.spent] === 0 &&
        (this.id === undefined || table![i + TPL.suppressed] === 0)
      ) {
        table![i] = key;
        table![i + TPL.passes] = 0;
        table![i + TPL.lastPass] = Number.NEGATIVE_INFINITY;
        table![i + TPL.suppressed] = 0;
        return i;
      }
    }
    at = rowOf(table, OVERFLOW_KEY, TEMPLATE_STRIDE);
    if (at >= 0) return at;
    this.templates = withRow(table, [OVERFLOW_KEY, 0, Number.NEGATIVE_INFINITY, 0, 0, 0]);
    return this.templates.length - TEMPLATE_STRIDE;
  }

  countDrop(reasonIndex: number, key: string | undefined): void {
    this.countDropAt(reasonIndex, key === undefined ? -1 : this.dropRow(key));
  }

  /** One more drop for this reason, in the row `at` of `droppedByKey` (see dropRow; -1: a record without a key). */
  countDropAt(reasonIndex: number, at: number): void {
    this.dropped++;
    const byReason = (this.droppedByReason ??= []);
    byReason[reasonIndex] = (byReason[reasonIndex] ?? 0) + 1;
    if (at >= 0) this.droppedByKey![at + 1] = (this.droppedByKey![at + 1] as number) + 1;
  }

  /** The row of `key` in `droppedByKey`, made if new (beyond the key budget, the overflow row's). Rows never move. */
  dropRow(key: string): number {
    let at = rowOf(this.droppedByKey, key, DROP_STRIDE);
    if (at < 0) {
      const slot = this.keys.admit(this.droppedByKey === undefined ? 0 : this.droppedByKey.length / DROP_STRIDE) ? key : OVERFLOW_KEY;
      at = slot === key ? -1 : rowOf(this.droppedByKey, slot, DROP_STRIDE);
      if (at < 0) {
        this.droppedByKey = withRow(this.droppedByKey, [slot, 0]);
        at = this.droppedByKey.length - DROP_STRIDE;
      }
    }
    return at;
  }
}
