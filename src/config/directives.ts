/**
 * Logger-name rules: "info,openai=warn,server.media_ws_ai=debug" and the matching of a rule
 * to a logger name on segment boundaries ('.', ':' and '/'), most specific rule first.
 */

export interface LevelRule {
  readonly logger: string;
  readonly level: number;
}

/** Does rule `prefix` cover logger `name`? `openai` covers `openai.realtime`, not `openai_tools`. */
export function coversLogger(prefix: string, name: string): boolean {
  if (!name.startsWith(prefix)) return false;
  if (name.length === prefix.length) return true;
  const next = name.charCodeAt(prefix.length);
  return next === 46 /* . */ || next === 58 /* : */ || next === 47 /* / */;
}

/** The most specific (longest) rule covering `name`, if any. */
export function ruleFor(name: string, rules: readonly LevelRule[]): LevelRule | undefined {
  let best: LevelRule | undefined;
  for (const rule of rules) {
    if ((best === undefined || rule.logger.length > best.logger.length) && coversLogger(rule.logger, name)) best = rule;
  }
  return best;
}

/** The level of the most specific rule covering `name`, else `base`. */
export function thresholdFor(name: string, rules: readonly LevelRule[], base: number): number {
  return ruleFor(name, rules)?.level ?? base;
}

/**
 * Rules in order of increasing precedence → one rule per logger name (a later rule for the
 * same name replaces an earlier one).
 */
export function mergeRules(...lists: readonly (readonly LevelRule[])[]): readonly LevelRule[] {
  const byName = new Map<string, LevelRule>();
  for (const list of lists) for (const rule of list) byName.set(rule.logger, rule);
  return Object.freeze([...byName.values()]);
}
