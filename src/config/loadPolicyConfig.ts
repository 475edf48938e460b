import { DURATION_FORMS, parseDuration } from './durations.ts';
import { boundedCallId } from './boundedStrings.ts';
import { CALL_ID, count, distinct, duration, flag, key, KEY, level, list, loggerName, onOff, read, size, type Env } from './envReaders.ts';
import { mergeRules, type LevelRule } from './directives.ts';
import { LogPolicyConfigError } from './errors.ts';
import { LEVEL_NAMES, parseLevel } from './levels.ts';
import { formatSize, SIZE_FORMS } from './sizes.ts';
import type { PolicyConfig, PolicyMode, TemplateLimit } from './policyConfig.ts';
import { parseRedactPattern } from './redactPattern.ts';
import {
  DEFAULT_CALL_TAIL,
  DEFAULT_CALL_TTL,
  DEFAULT_TEMPLATE_SHARE,
  DEFAULT_ERROR_REPEAT,
  DEFAULT_MAX_ATTRIBUTE,
  DEFAULT_MAX_BODY,
  DEFAULT_MAX_CALLS,
  DEFAULT_MAX_EXPORT_BYTES,
  DEFAULT_RETRY_BUFFER,
  DEFAULT_MAX_KEYS_PER_CALL,
  DEFAULT_MAX_TRACKED_KEYS,
  DEFAULT_NOISY_MODULES,
  DEFAULT_ONCE_KEYS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_RECORDER_BYTES,
  DEFAULT_RECORDER_FLUSH_ON,
  DEFAULT_RECORDER_TOTAL_BYTES,
  MACRO_EVENTS,
  MODE_DEFAULTS,
} from './defaults.ts';

function mode(env: Env, warnings: string[]): { mode: PolicyMode; source: string } {
  const explicit = read(env, 'LOG_POLICY_MODE');
  if (explicit !== undefined) {
    const lower = explicit.toLowerCase();
    if (lower === 'production' || lower === 'development') return { mode: lower, source: `LOG_POLICY_MODE=${explicit}` };
    throw new LogPolicyConfigError('LOG_POLICY_MODE', explicit, 'accepted: production, development');
  }
  const debug = read(env, 'DEBUG');
  if (debug !== undefined) {
    // The seed's switch is inverted on purpose: DEBUG=1 is production.
    const lower = debug.toLowerCase();
    if (lower === '1' || lower === 'true') return { mode: 'production', source: `DEBUG=${debug}` };
    if (lower === '0' || lower === 'false') return { mode: 'development', source: `DEBUG=${debug}` };
    warnings.push(`DEBUG=${JSON.stringify(debug)} is not 1/true/0/false (the debug package's syntax?); mode left at production`);
  }
  return { mode: 'production', source: 'default' };
}

/** "info,openai=warn" → a base level (the bare entry) and per-logger rules. */
function levelDirectives(env: Env): { base?: number; rules: LevelRule[] } {
  const value = read(env, 'LOG_POLICY_LEVELS');
  const rules: LevelRule[] = [];
  let base: number | undefined;
  if (value === undefined) return { rules };
  const accepted = `accepted: a comma list of LEVEL or LOGGER=LEVEL, levels ${LEVEL_NAMES}`;
  const names: string[] = [];
  for (const item of list(value)) {
    const eq = item.indexOf('=');
    const levelText = eq < 0 ? item : item.slice(eq + 1).trim();
    const parsed = parseLevel(levelText);
    if (parsed === undefined) throw new LogPolicyConfigError('LOG_POLICY_LEVELS', value, `"${levelText}" is not a level; ${accepted}`);
    if (eq < 0) {
      base = parsed;
      // Two bare levels are two base levels: the same mistake as one logger named twice.
      names.push('(the bare base level)');
    } else {
      const logger = loggerName('LOG_POLICY_LEVELS', value, item.slice(0, eq).trim());
      names.push(logger);
      rules.push({ logger, level: parsed });
    }
  }
  distinct('LOG_POLICY_LEVELS', value, names, 'logger');
  return base === undefined ? { rules } : { base, rules };
}

function rateLimits(env: Env): Map<string, number> {
  const value = read(env, 'LOG_POLICY_RATE_LIMITS') ?? DEFAULT_RATE_LIMITS;
  const limits = new Map<string, number>();
  if (value.toLowerCase() === 'none') return limits;
  for (const item of list(value)) {
    const eq = item.indexOf('=');
    const ms = eq < 0 ? undefined : parseDuration(item.slice(eq + 1));
    if (ms === undefined) {
      throw new LogPolicyConfigError('LOG_POLICY_RATE_LIMITS', value, `"${item}" is not KEY=duration; accepted: a comma list of KEY=duration (${DURATION_FORMS}), or none`);
    }
    limits.set(key('LOG_POLICY_RATE_LIMITS', value, item.slice(0, eq).trim()), ms);
  }
  distinct(
    'LOG_POLICY_RATE_LIMITS',
    value,
    list(value).map((item) => item.slice(0, item.indexOf('=')).trim()),
    'key',
  );
  return limits;
}

/** "3/10s": three, then one per 10 s; "0" or "none": off. */
function templateLimit(env: Env, fallback: string): TemplateLimit | undefined {
  const value = read(env, 'LOG_POLICY_TEMPLATE_LIMIT') ?? fallback;
  if (value.toLowerCase() === 'none' || value === '0') return undefined;
  const slash = value.indexOf('/');
  const burst = slash < 0 ? undefined : value.slice(0, slash).trim();
  const intervalMs = slash < 0 ? undefined : parseDuration(value.slice(slash + 1));
  if (burst === undefined || !/^\d{1,6}$/.test(burst) || Number(burst) < 1 || intervalMs === undefined) {
    throw new LogPolicyConfigError(
      'LOG_POLICY_TEMPLATE_LIMIT',
      value,
      `accepted: COUNT/duration (a whole number from 1 to 999999, then ${DURATION_FORMS}), e.g. 3/10s; or 0 or none (off)`,
    );
  }
  return Object.freeze({ burst: Number(burst), intervalMs });
}

function templateShare(env: Env): number {
  const value = read(env, 'LOG_POLICY_TEMPLATE_SHARE');
  if (value === undefined) return DEFAULT_TEMPLATE_SHARE;
  const number = value.endsWith('%') ? value.slice(0, -1).trim() : value;
  if (!/^\d{1,3}$/.test(number) || Number(number) < 1 || Number(number) > 100) {
    throw new LogPolicyConfigError('LOG_POLICY_TEMPLATE_SHARE', value, 'accepted: a percent from 1 to 100 (e.g. 25 or 25%); 100 lets one template spend the whole budget');
  }
  return Number(number);
}

function onceKeys(env: Env): Set<string> {
  const value = read(env, 'LOG_POLICY_ONCE') ?? DEFAULT_ONCE_KEYS;
  if (value.toLowerCase() === 'none') return new Set();
  const keys = list(value).map((item) => key('LOG_POLICY_ONCE', value, item));
  distinct('LOG_POLICY_ONCE', value, keys, 'key');
  return new Set(keys);
}

function noisyModules(env: Env): string[] {
  const value = read(env, 'LOG_POLICY_NOISY_MODULES');
  if (value === undefined) return [...DEFAULT_NOISY_MODULES];
  if (value.toLowerCase() === 'none') return [];
  const names = list(value).map((item) => loggerName('LOG_POLICY_NOISY_MODULES', value, item));
  distinct('LOG_POLICY_NOISY_MODULES', value, names, 'module');
  return names;
}

/** Per-call and global byte caps of the flight recorder; a per-call cap above the global one is a mistake. */
function recorderBytes(env: Env): { perCall: number; total: number } {
  const total = size(env, 'LOG_POLICY_RECORDER_TOTAL_BYTES', DEFAULT_RECORDER_TOTAL_BYTES);
  const perCall = size(env, 'LOG_POLICY_RECORDER_BYTES', DEFAULT_RECORDER_BYTES);
  if (perCall > total) {
    // Blame the variable that was set: a small global cap under the default per-call cap is the global cap's fault.
    const perCallText = read(env, 'LOG_POLICY_RECORDER_BYTES');
    if (perCallText !== undefined) {
      throw new LogPolicyConfigError('LOG_POLICY_RECORDER_BYTES', perCallText, `accepted: ${SIZE_FORMS}, at most LOG_POLICY_RECORDER_TOTAL_BYTES (${formatSize(total)})`);
    }
    throw new LogPolicyConfigError(
      'LOG_POLICY_RECORDER_TOTAL_BYTES',
      read(env, 'LOG_POLICY_RECORDER_TOTAL_BYTES')!,
      `accepted: ${SIZE_FORMS}, at least LOG_POLICY_RECORDER_BYTES (${formatSize(perCall)}, the default)`,
    );
  }
  return { perCall, total };
}

/** "error,SERVER_ERROR": the levels (error or fatal) and keys whose records flush a call's flight recorder. */
function recorderFlushOn(env: Env): { severity: number; keys: Set<string> } {
  const value = read(env, 'LOG_POLICY_RECORDER_FLUSH_ON') ?? DEFAULT_RECORDER_FLUSH_ON;
  let severity = Number.POSITIVE_INFINITY;
  const keys = new Set<string>();
  const items = list(value);
  // Levels are case-blind (error = ERROR), keys are not.
  distinct(
    'LOG_POLICY_RECORDER_FLUSH_ON',
    value,
    items.map((item) => (/^(?:error|fatal)$/i.test(item) ? item.toLowerCase() : item)),
    'entry',
  );
  for (const item of items) {
    const lower = item.toLowerCase();
    if (lower === 'error' || lower === 'fatal') severity = Math.min(severity, parseLevel(lower)!);
    else if (KEY.test(item)) keys.add(item);
    else
      throw new LogPolicyConfigError(
        'LOG_POLICY_RECORDER_FLUSH_ON',
        value,
        `"${item}" is neither a level nor a key; accepted: a comma list of error, fatal and keys such as SERVER_ERROR`,
      );
  }
  if (severity === Number.POSITIVE_INFINITY && keys.size === 0) {
    throw new LogPolicyConfigError('LOG_POLICY_RECORDER_FLUSH_ON', value, 'accepted: a comma list of error, fatal and keys such as SERVER_ERROR');
  }
  return { severity, keys };
}

function verboseCalls(env: Env): Set<string> {
  const value = read(env, 'LOG_POLICY_VERBOSE_CALLS');
  if (value === undefined) return new Set();
  const ids = list(value).map((item) => {
    if (!CALL_ID.test(item))
      throw new LogPolicyConfigError('LOG_POLICY_VERBOSE_CALLS', value, `"${item}" is not a call id; accepted: a comma list of exact call ids, 1-256 characters without spaces`);
    return item;
  });
  distinct('LOG_POLICY_VERBOSE_CALLS', value, ids, 'call id');
  // Held in the form the processor keys calls by, so a listed id longer than 128 characters still matches.
  return new Set(ids.map(boundedCallId));
}

function redactPattern(env: Env): RegExp | undefined {
  const value = read(env, 'LOG_POLICY_REDACT_PATTERNS');
  return value === undefined ? undefined : parseRedactPattern('LOG_POLICY_REDACT_PATTERNS', value);
}

/**
 * Reads the policy from `env` (default `process.env`). Throws {@link LogPolicyConfigError} on the
 * first bad value, naming the variable, the value and what is accepted. No other module reads env.
 */
export function loadPolicyConfig(env: NodeJS.ProcessEnv = process.env): PolicyConfig {
  const warnings: string[] = [];
  const chosen = mode(env, warnings);
  const defaults = MODE_DEFAULTS[chosen.mode];
  const directives = levelDirectives(env);
  const noisyLevel = level(env, 'LOG_POLICY_NOISY_LEVEL', defaults.noisy);
  const modules = noisyModules(env);
  const recorderCaps = recorderBytes(env);
  const flushOn = recorderFlushOn(env);
  const config: PolicyConfig = {
    mode: chosen.mode,
    modeSource: chosen.source,
    // A bare level in LOG_POLICY_LEVELS is the more specific setting, so it wins over LOG_POLICY_LEVEL.
    baseLevel: directives.base ?? level(env, 'LOG_POLICY_LEVEL', defaults.base),
    noisyLevel,
    noisyModules: Object.freeze(modules),
    levelRules: mergeRules(
      modules.map((logger) => ({ logger, level: noisyLevel })),
      directives.rules,
    ),
    levelDirectives: mergeRules(directives.rules),
    debugTx: flag(env, 'DEBUG_TX'),
    rateLimits: rateLimits(env),
    onceKeys: onceKeys(env),
    errorRepeatMs: duration(env, 'LOG_POLICY_ERROR_REPEAT', DEFAULT_ERROR_REPEAT),
    callBudget: count(env, 'LOG_POLICY_CALL_BUDGET', defaults.budget, 0),
    templateLimit: templateLimit(env, defaults.templateLimit),
    callTail: count(env, 'LOG_POLICY_CALL_TAIL', DEFAULT_CALL_TAIL, 0),
    templateShare: templateShare(env),
    callTtlMs: duration(env, 'LOG_POLICY_CALL_TTL', DEFAULT_CALL_TTL),
    maxCalls: count(env, 'LOG_POLICY_MAX_CALLS', DEFAULT_MAX_CALLS, 1),
    maxKeysPerCall: count(env, 'LOG_POLICY_MAX_KEYS', DEFAULT_MAX_KEYS_PER_CALL, 1),
    maxTrackedKeys: count(env, 'LOG_POLICY_MAX_TRACKED_KEYS', DEFAULT_MAX_TRACKED_KEYS, 1),
    macroEvents: new Set(MACRO_EVENTS),
    redact: onOff(env, 'LOG_POLICY_REDACT', defaults.redact),
    redactPattern: redactPattern(env),
    maxBodyLength: count(env, 'LOG_POLICY_MAX_BODY', DEFAULT_MAX_BODY, 64),
    maxAttributeLength: count(env, 'LOG_POLICY_MAX_ATTRIBUTE', DEFAULT_MAX_ATTRIBUTE, 64),
    retryBufferSize: count(env, 'LOG_POLICY_RETRY_BUFFER', DEFAULT_RETRY_BUFFER, 0),
    maxExportBytes: size(env, 'LOG_POLICY_MAX_EXPORT_BYTES', DEFAULT_MAX_EXPORT_BYTES),
    recorder: count(env, 'LOG_POLICY_RECORDER', 0, 0),
    recorderBytes: recorderCaps.perCall,
    recorderTotalBytes: recorderCaps.total,
    recorderFlushSeverity: flushOn.severity,
    recorderFlushKeys: flushOn.keys,
    verboseCalls: verboseCalls(env),
    warnings: Object.freeze(warnings),
  };
  return Object.freeze(config);
}
