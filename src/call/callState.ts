import { DROP_REASONS } from '../rules/verdict.ts';
import { OVERFLOW_KEY, type KeyBudget } from './boundedKeys.ts';

export interface RepeatState {
  /** Occurrences since the last one that passed. */
  pending: number;
  lastPassAt: number;
}

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
  /** Indexed by the policy's once-key index. */
  onceSeen: number[] | undefined;
  /** Indexed by the policy's rate-limit index: when that key last passed. */
  rateLastPass: number[] | undefined;
  repeats: Map<string, RepeatState> | undefined;
  droppedByReason: number[] | undefined;
  droppedByKey: Map<string, number> | undefined;
  /** Held to the development thresholds with no budget (see escalation.ts). */
  escalated = false;
  /** An ERROR/FATAL or SERVER_ERROR passed: the flight recorder flushes this call's ring, also at CALL_END. */
  failed = false;

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
    (this.droppedByReason ??= new Array<number>(DROP_REASONS.length).fill(0))[reasonIndex]!++;
    if (key === undefined) return;
    const byKey = (this.droppedByKey ??= new Map());
    const n = byKey.get(key);
    if (n !== undefined) byKey.set(key, n + 1);
    else if (this.keys.admit(byKey.size)) byKey.set(key, 1);
    else byKey.set(OVERFLOW_KEY, (byKey.get(OVERFLOW_KEY) ?? 0) + 1);
  }
}
