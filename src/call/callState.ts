import { DROP_REASONS } from '../rules/verdict.ts';
import type { KeyBudget } from './boundedKeys.ts';

export interface RepeatState {
  /** Occurrences since the last one that passed. */
  pending: number;
  lastPassAt: number;
}


/**
 * What the policy remembers about one call (or, with no id, about records outside any call).
 * Collections are created on first use: most calls touch few of them, and 10,000 open calls
 * must stay small.
 */
export class CallState {
  readonly id: string | undefined;
  readonly startedAt: number;
  produced = 0;
  forwarded = 0;
  dropped = 0;
  budgetUsed = 0;
  /** Indexed by the policy's once-key index. */
  onceSeen: Uint8Array | undefined;
  /** Indexed by the policy's rate-limit index: when that key last passed. */
  rateLastPass: Float64Array | undefined;
  repeats: Map<string, RepeatState> | undefined;
  droppedByReason: Uint32Array | undefined;
  droppedByKey: Map<string, number> | undefined;

  /** Shared by every call of one processor: caps keys per call and across calls. */
  readonly keys: KeyBudget;

  constructor(id: string | undefined, startedAt: number, keys: KeyBudget) {
    this.id = id;
    this.startedAt = startedAt;
    this.keys = keys;
  }

  /** Gives back the key room this call took; its maps stay readable for the CALL_END summary. */
  releaseKeys(): void {
    this.keys.release(this.repeats);
    this.keys.release(this.droppedByKey);
  }

  countDrop(reasonIndex: number, key: string | undefined): void {
    this.dropped++;
    (this.droppedByReason ??= new Uint32Array(DROP_REASONS.length))[reasonIndex]!++;
    if (key === undefined) return;
    const byKey = (this.droppedByKey ??= new Map());
    const slot = this.keys.slot(byKey, key);
    byKey.set(slot, (byKey.get(slot) ?? 0) + 1);
  }
}
