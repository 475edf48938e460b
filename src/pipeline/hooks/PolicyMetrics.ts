import { createNoopMeter, metrics, type BatchObservableResult, type MeterProvider, type Observable } from '@opentelemetry/api';
import { OVERFLOW_KEY } from '../../state/KeyBudget.ts';
import { DROP_REASONS } from '../../policy/verdict.ts';

export const METRIC_RECORDS = 'log_policy.records';
export const METRIC_CALLS_OPEN = 'log_policy.calls.open';
export const METRIC_CALLS_ESCALATED = 'log_policy.calls.escalated';
const SCOPE = 'otel-log-policy';

/** Outcomes counted per reason and key; `passed` comes from the processor's own total. */
export const OUTCOMES = ['dropped', 'recorded', 'flushed'] as const;
export const OUTCOME = { dropped: 0, recorded: 1, flushed: 2 } as const;
/** Distinct `key` values reported; the rest are reported as `(overflow)`. Records without a key are `(none)`. */
export const MAX_METRIC_KEYS = 200;
const NO_KEY = '(none)';
const NoopMeter = createNoopMeter().constructor;

/** What the processor already counts, read only when a metric reader collects. */
export interface MetricsSource {
  passed(): number;
  callsOpen(): number;
  callsEscalated(): number;
}

/**
 * The policy's own metrics on the global MeterProvider: `log_policy.records` (an observable
 * counter by outcome, reason and key) and gauges of open and escalated calls. Observable, so
 * recording costs one array increment per dropped record and nothing while no provider is registered.
 */
export class PolicyMetrics {
  /** A real MeterProvider is registered: only then are drops counted by reason and key. */
  active = false;
  private provider: MeterProvider | undefined;
  private readonly byKey = new Map<string, Float64Array>();
  private readonly source: MetricsSource;

  constructor(source: MetricsSource) {
    this.source = source;
  }

  /** Binds to the global MeterProvider if it changed since the last look (a no-op provider counts as none). */
  attach(): void {
    const provider = metrics.getMeterProvider();
    if (provider === this.provider) return;
    this.provider = provider;
    const meter = provider.getMeter(SCOPE);
    this.active = !(meter instanceof NoopMeter);
    if (!this.active) return;
    const records = meter.createObservableCounter(METRIC_RECORDS, {
      description: 'Log records the policy saw, by outcome (passed, dropped, recorded, flushed), drop reason and key',
      unit: '{record}',
    });
    const open = meter.createObservableGauge(METRIC_CALLS_OPEN, { description: 'Calls whose state the policy holds', unit: '{call}' });
    const escalated = meter.createObservableGauge(METRIC_CALLS_ESCALATED, {
      description: 'Open calls logged with development thresholds (escalated)',
      unit: '{call}',
    });
    meter.addBatchObservableCallback((result) => this.observe(result, records, open, escalated), [records, open, escalated]);
  }

  /** One record with `outcome` for drop reason `reasonIndex` (index in DROP_REASONS) and `key`. */
  count(outcome: number, reasonIndex: number, key: string | undefined): void {
    let slot = key ?? NO_KEY;
    let counts = this.byKey.get(slot);
    if (counts === undefined) {
      if (this.byKey.size >= MAX_METRIC_KEYS) {
        slot = OVERFLOW_KEY;
        counts = this.byKey.get(slot);
      }
      if (counts === undefined) {
        counts = new Float64Array(OUTCOMES.length * DROP_REASONS.length);
        this.byKey.set(slot, counts);
      }
    }
    counts[outcome * DROP_REASONS.length + reasonIndex]!++;
  }

  private observe(result: BatchObservableResult, records: Observable, open: Observable, escalated: Observable): void {
    result.observe(records, this.source.passed(), { outcome: 'passed' });
    for (const [key, counts] of this.byKey) {
      counts.forEach((n, i) => {
        if (n === 0) return;
        const outcome = OUTCOMES[Math.floor(i / DROP_REASONS.length)]!;
        result.observe(records, n, { outcome, reason: DROP_REASONS[i % DROP_REASONS.length]!, key });
      });
    }
    result.observe(open, this.source.callsOpen());
    result.observe(escalated, this.source.callsEscalated());
  }
}
