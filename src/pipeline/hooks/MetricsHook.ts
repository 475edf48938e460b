import type { Context } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { RecordFacts } from '../../policy/facts.ts';
import type { PolicyHook } from './PolicyHook.ts';
import { OUTCOME, PolicyMetrics, type MetricsSource } from './PolicyMetrics.ts';

/**
 * The policy's own metrics as a hook: drops (kept by the recorder or not) and flushes are counted
 * by reason and key while a real MeterProvider is registered; each new call looks again for a
 * MeterProvider registered since, so metrics set up after the policy still get counts.
 */
export class MetricsHook implements PolicyHook {
  readonly metrics: PolicyMetrics;

  constructor(source: MetricsSource) {
    this.metrics = new PolicyMetrics(source);
    this.metrics.attach();
  }

  opened(): void {
    this.metrics.attach();
  }

  dropped(_record: ReadWriteLogRecord | undefined, _context: Context | undefined, facts: RecordFacts, reasonIndex: number, kept: boolean): boolean {
    if (this.metrics.active) this.metrics.count(kept ? OUTCOME.recorded : OUTCOME.dropped, reasonIndex, facts.key);
    return kept;
  }

  flushed(reasonIndex: number, key: string | undefined): void {
    if (this.metrics.active) this.metrics.count(OUTCOME.flushed, reasonIndex, key);
  }
}
