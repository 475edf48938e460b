import { SeverityNumber, type AnyValue, type Attributes } from '@opentelemetry/api';
import { thresholdFor } from '../config/directives.ts';
import type { PolicyConfig, TemplateLimit } from '../config/policyConfig.ts';
import { BRIDGE_SCOPES, ownLogKey } from './attributes.ts';
import { isTag, keyOf, startsWithTag } from './facts.ts';
import { internedCopy, ownCopy } from '../config/boundedStrings.ts';

/**
 * Distinct logger names (and keys) whose rules are cached; more are computed each time (hostile
 * names stay bounded). Cached names and keys are copies: a slice would keep its parent string alive.
 */
const MAX_CACHED_LOGGERS = 1024;
const MAX_CACHED_KEYS = 1024;
/** The last logger and key are remembered only when short: they are kept, and must not keep a long string alive. */
const MAX_LAST_LENGTH = 128;

/** What the policy does with one key, resolved once: the hot path makes one lookup instead of four. */
export interface KeyRules {
  /**
   * The key itself, as a copy of its own: the key a record yields may be a slice of a 1 MB body or
   * attribute, and what the policy keeps (this cache, per-call tables, drop counts) keeps this one.
   */
  readonly key: string | undefined;
  readonly macro: boolean;
  /** `TX_*`: passes down to DEBUG with DEBUG_TX. */
  readonly tx: boolean;
  /** Index in the once-keys, else -1. */
  readonly once: number;
  /** Index in the rate limits, else -1. */
  readonly rate: number;
  /** The key can be a body's `[TAG]`. */
  readonly tag: boolean;
}

/** The rules of a record without a key. */
export const NO_KEY_RULES: KeyRules = Object.freeze({ key: undefined, macro: false, tx: false, once: -1, rate: -1, tag: false });

/** A PolicyConfig prepared for the hot path: key → slot indices and a threshold cache. */
export class CompiledPolicy {
  readonly config: PolicyConfig;
  readonly onceIndex: ReadonlyMap<string, number>;
  readonly rateIndex: ReadonlyMap<string, number>;
  readonly rateIntervals: Float64Array;
  /** The lowest threshold any logger can have: what a bridge record (name unknown until built) is held to. */
  readonly loosestThreshold: number;
  /** The default limit of repeated keys and templates; undefined when off. */
  readonly templateLimit: TemplateLimit | undefined;
  /** Budgeted records a call forwards as they come; the rest of the budget is its tail (the last records, sent before CALL_END). */
  readonly liveBudget: number;
  readonly tail: number;
  /** Budget one key or template may spend in a call (the budget itself when the share is 100%). */
  readonly shareCap: number;
  private readonly thresholds = new Map<string, number>();
  private lastLogger: string | undefined;
  private lastThreshold = 0;
  private lastRules: KeyRules = NO_KEY_RULES;
  /** `enabled()`'s answer per scope: one lookup on the path every record takes. */
  private readonly floors = new Map<string, number>();
  private readonly keys = new Map<string, KeyRules>();

  constructor(config: PolicyConfig) {
    this.config = config;
    this.onceIndex = new Map([...config.onceKeys].map((key, i) => [key, i]));
    this.rateIndex = new Map([...config.rateLimits.keys()].map((key, i) => [key, i]));
    this.rateIntervals = Float64Array.from(config.rateLimits.values());
    this.loosestThreshold = Math.min(config.baseLevel, ...config.levelRules.map((rule) => rule.level));
    this.templateLimit = config.templateLimit;
    // The tail takes at most half the budget, so a small budget still forwards lines as they come.
    this.tail = Math.min(config.callTail, Math.floor(config.callBudget / 2));
    // With a tail, the call's own CALL_START and CALL_END take two slots of the budget as well, so
    // that a call's records stay within its budget in all (WARN, ERROR and other macros aside).
    const lifecycle = this.tail > 0 && config.callBudget - this.tail > 2 ? 2 : 0;
    this.liveBudget = config.callBudget - this.tail - lifecycle;
    this.shareCap = Math.max(1, Math.ceil((config.callBudget * config.templateShare) / 100));
  }

  thresholdOf(logger: string): number {
    // Records come in runs from one logger (a frame loop): the last answer first, then the cache.
    if (logger === this.lastLogger) return this.lastThreshold;
    let level = this.thresholds.get(logger);
    if (level === undefined) {
      level = thresholdFor(logger, this.config.levelRules, this.config.baseLevel);
      if (this.thresholds.size < MAX_CACHED_LOGGERS) this.thresholds.set(internedCopy(logger), level);
    }
    if (logger.length <= MAX_LAST_LENGTH) {
      // Kept: its own characters, never a view into a larger string; interned while the cache has room.
      this.lastLogger = this.thresholds.size < MAX_CACHED_LOGGERS ? internedCopy(logger) : ownCopy(logger);
      this.lastThreshold = level;
    }
    return level;
  }

  rulesOf(key: string | undefined): KeyRules {
    if (key === undefined) return NO_KEY_RULES;
    if (key === this.lastRules.key) return this.lastRules;
    let rules = this.keys.get(key);
    if (rules === undefined) {
      const own = this.keys.size < MAX_CACHED_KEYS ? internedCopy(key) : ownCopy(key);
      rules = Object.freeze({
        key: own,
        macro: this.config.macroEvents.has(key),
        tx: key.startsWith('TX_'),
        once: this.onceIndex.get(key) ?? -1,
        rate: this.rateIndex.get(key) ?? -1,
        tag: isTag(key),
      });
      if (this.keys.size < MAX_CACHED_KEYS) this.keys.set(own, rules);
    }
    if (rules.key !== undefined && rules.key.length <= MAX_LAST_LENGTH) this.lastRules = rules;
    return rules;
  }

  /**
   * The rules of a record's key (`log.key`, else the event name, else the body's `[TAG]`). A frame
   * loop repeats one tagged line: when the body starts with the last key's tag, no tag is cut out.
   */
  rulesOfRecord(attributes: Attributes, eventName: string | undefined, body: AnyValue | undefined): KeyRules {
    const last = this.lastRules;
    if (last.tag && eventName === undefined && typeof body === 'string' && startsWithTag(body, last.key!) && ownLogKey(attributes) === undefined) return last;
    return this.rulesOf(keyOf(attributes, eventName, body));
  }

  /**
   * The threshold a record is actually held to. Macro events are exempt down to INFO, their own
   * level; with DEBUG_TX, `TX_*` keys down to DEBUG. WARN and above always pass.
   */
  effectiveThreshold(threshold: number, mayBeMacro: boolean, mayBeTx: boolean): number {
    let min = Math.min(threshold, SeverityNumber.WARN);
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
    let floor = this.floors.get(scope);
    if (floor === undefined) {
      floor = this.effectiveThreshold(BRIDGE_SCOPES.has(scope) ? this.loosestThreshold : this.thresholdOf(scope), true, true);
      if (this.floors.size < MAX_CACHED_LOGGERS) this.floors.set(internedCopy(scope), floor);
    }
    return floor;
  }
}
