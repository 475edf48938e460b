/** What a rule decides for one record. Pass and drop are shared constants: the hot path allocates nothing. */

export const DROP_REASONS = ['threshold', 'once', 'rate_limit', 'repeat', 'budget', 'template', 'budget_share'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface Pass {
  readonly kind: 'pass';
}
export interface Drop {
  readonly kind: 'drop';
  readonly reason: DropReason;
  readonly index: number;
}
/** A repeated error let through as WARN, with how many occurrences it stands for. */
export interface Downgrade {
  readonly kind: 'downgrade';
  readonly severity: number;
  readonly repeatCount: number;
}
/** A repeated key or template let through by the template limit, with how many were suppressed since the last one that passed. */
export interface Counted {
  readonly kind: 'counted';
  readonly suppressed: number;
}
export type Verdict = Pass | Drop | Downgrade | Counted;

export const PASS: Pass = Object.freeze({ kind: 'pass' });

export const DROP = Object.freeze(Object.fromEntries(DROP_REASONS.map((reason, index) => [reason, Object.freeze({ kind: 'drop', reason, index })]))) as Readonly<
  Record<DropReason, Drop>
>;
