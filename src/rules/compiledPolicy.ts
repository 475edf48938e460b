import { SeverityNumber } from '@opentelemetry/api';
import { thresholdFor } from '../config/directives.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { BRIDGE_SCOPES } from '../record/attributes.ts';

/** Distinct logger names whose threshold is cached; more are computed each time (hostile names stay bounded). */
const MAX_CACHED_LOGGERS = 1024;

/** A PolicyConfig prepared for the hot path: key → slot indices and a threshold cache. */
export class CompiledPolicy {
  readonly config: PolicyConfig;
  readonly onceIndex: ReadonlyMap<string, number>;
  readonly rateIndex: ReadonlyMap<string, number>;
  readonly rateIntervals: Float64Array;
  /** The lowest threshold any logger can have: what a bridge record (name unknown until built) is held to. */
  readonly loosestThreshold: number;
  private readonly thresholds = new Map<string, number>();

  constructor(config: PolicyConfig) {
    this.config = config;
    this.onceIndex = new Map([...config.onceKeys].map((key, i) => [key, i]));
    this.rateIndex = new Map([...config.rateLimits.keys()].map((key, i) => [key, i]));
    this.rateIntervals = Float64Array.from(config.rateLimits.values());
    this.loosestThreshold = Math.min(config.baseLevel, ...config.levelRules.map((rule) => rule.level));
  }

  thresholdOf(logger: string): number {
    let level = this.thresholds.get(logger);
    if (level === undefined) {
      level = thresholdFor(logger, this.config.levelRules, this.config.baseLevel);
      if (this.thresholds.size < MAX_CACHED_LOGGERS) this.thresholds.set(logger, level);
    }
    return level;
  }

  /**
   * The threshold a record is actually held to. Macro events are exempt down to INFO, their own
   * level; with DEBUG_TX, `TX_*` keys down to DEBUG. WARN and above always pass.
   */
  effectiveThreshold(threshold: number, mayBeMacro: boolean, mayBeTx: boolean): number {
    let min = threshold > SeverityNumber.WARN ? SeverityNumber.WARN : threshold;
    if (mayBeMacro && min > SeverityNumber.INFO) min = SeverityNumber.INFO;
    if (mayBeTx && this.config.debugTx && min > SeverityNumber.DEBUG) min = SeverityNumber.DEBUG;
    return min;
  }

  /**
   * The lowest severity a record of this instrumentation scope can pass at, before its key is
   * known (macro and DEBUG_TX exemptions assumed possible). Bridge scopes name their logger only
   * in attributes, so they get the loosest threshold.
   */
  scopeFloor(scope: string): number {
    return this.effectiveThreshold(BRIDGE_SCOPES.has(scope) ? this.loosestThreshold : this.thresholdOf(scope), true, true);
  }
}
