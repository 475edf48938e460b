import { SeverityNumber } from '@opentelemetry/api';
import { ESCALATION_ATTRIBUTE, ESCALATION_BAGGAGE } from '../pipeline/hooks/escalation.ts';
import { MODE_DEFAULTS } from '../config/defaults.ts';
import { formatSize } from '../config/sizes.ts';
import { CompiledPolicy } from '../policy/CompiledPolicy.ts';
import { batchSettingsFromEnv, logExportersSetting, otlpLogsTarget, type LogExportersSetting } from '../config/otelEnv.ts';
import type { PolicyConfig } from '../config/policyConfig.ts';
import { durationLabel, levelLabel, modeReason } from './describe.ts';

type Env = Readonly<Record<string, string | undefined>>;

const field = (name: string, value: string) => `${name.padEnd(15)} ${value}`;
const listOr = (items: Iterable<string>, none: string) => {
  const all = [...items];
  return all.length > 0 ? all.join(', ') : none;
};

/** Where a per-logger rule comes from: the noisy-module list, or LOG_POLICY_LEVELS over it. */
function ruleSource(config: PolicyConfig, logger: string, level: number): string {
  return config.noisyModules.includes(logger) && level === config.noisyLevel ? 'noisy module' : 'LOG_POLICY_LEVELS';
}

export function ruleLabel(config: PolicyConfig, rule: { logger: string; level: number }): string {
  return `"${rule.logger}" (${ruleSource(config, rule.logger, rule.level)})`;
}

function recorderLine(config: PolicyConfig): string {
  if (config.recorder === 0) return 'off (LOG_POLICY_RECORDER=200 keeps the last 200 dropped records of each call, sent if the call fails)';
  const on = [...(config.recorderFlushSeverity <= SeverityNumber.FATAL ? [`${levelLabel(config.recorderFlushSeverity)} and above`] : []), ...config.recorderFlushKeys];
  return (
    `the last ${config.recorder} dropped records of each call, at most ${formatSize(config.recorderBytes)} a call and ` +
    `${formatSize(config.recorderTotalBytes)} in all; sent before ${on.join(' or ')}, discarded at a clean CALL_END`
  );
}

/** Which exporters the policy's records go to, and which variable chose them. */
function exportersLine(setting: LogExportersSetting): string {
  if (setting.exporters.length === 0) return 'none: nothing is exported; the policy still runs and counts (OTEL_LOGS_EXPORTER)';
  const protocol = `${setting.protocol} (${setting.protocolSource === 'default' ? 'default' : `set by ${setting.protocolSource}`})`;
  const names = setting.exporters.map((name) => (name === 'otlp' ? `otlp over ${protocol}` : 'console (each record printed as it passes)'));
  return `${names.join(', ')}; OTEL_LOGS_EXPORTER=otlp,console,none chooses`;
}

/** The effective policy, as lines: every setting the rules use, and where the mode came from. */
export function describePolicy(config: PolicyConfig, env: Env): string[] {
  const defaults = MODE_DEFAULTS[config.mode];
  const { tail } = new CompiledPolicy(config);
  const whence = (value: number, fallback: number, variables: string) => (value === fallback ? `${config.mode} default` : `set by ${variables}`);
  const lines = [
    field('mode', `${config.mode} (${modeReason(config)})`),
    field(
      'base level',
      `${levelLabel(config.baseLevel)} (${whence(config.baseLevel, defaults.base, 'LOG_POLICY_LEVEL or a bare level in LOG_POLICY_LEVELS')}): loggers no rule below covers`,
    ),
    field('noisy level', `${levelLabel(config.noisyLevel)} (${whence(config.noisyLevel, defaults.noisy, 'LOG_POLICY_NOISY_LEVEL')})`),
    field('noisy modules', listOr(config.noisyModules, 'none')),
    field('logger levels', 'the most specific rule wins; a rule covers its name and names below it (. : /)'),
  ];
  const width = Math.max(0, ...config.levelRules.map((rule) => rule.logger.length));
  for (const rule of [...config.levelRules].sort((a, b) => a.logger.localeCompare(b.logger))) {
    lines.push(`  ${rule.logger.padEnd(width)}  ${levelLabel(rule.level).padEnd(5)}  ${ruleSource(config, rule.logger, rule.level)}`);
  }
  const exporters = logExportersSetting(env);
  const target = otlpLogsTarget(env, exporters.protocol);
  const batch = Object.entries(batchSettingsFromEnv(env)).map(([name, value]) => `${name}=${value}`);
  lines.push(
    field('always pass', 'WARN and above pass every logger threshold'),
    field('macro events', `${listOr(config.macroEvents, 'none')}: pass at INFO whatever their logger's level`),
    field('DEBUG_TX', config.debugTx ? 'on: TX_* keys pass down to DEBUG' : 'off (DEBUG_TX=1 lets TX_* keys pass down to DEBUG)'),
    field(
      'rate limits',
      `${listOr(
        [...config.rateLimits].map(([key, ms]) => `${key} ${durationLabel(ms)}`),
        'none',
      )} (per key, per call: one record per interval)`,
    ),
    field('once per call', listOr(config.onceKeys, 'none')),
    field('repeat errors', `the first ERROR of a group passes; repeats within ${durationLabel(config.errorRepeatMs)} are dropped, then one passes as WARN with log.repeat_count`),
    field(
      'template limit',
      config.templateLimit === undefined
        ? 'off (LOG_POLICY_TEMPLATE_LIMIT=3/10s: a key or message template passes 3 times, then once per 10 s)'
        : `a key or message template passes ${config.templateLimit.burst} times, then once per ${durationLabel(config.templateLimit.intervalMs)} with log.suppressed_count ` +
            '(per call, per process outside calls; keys with a once-key or rate limit, macro events and ERROR exempt)',
    ),
    field('call budget', config.callBudget === 0 ? 'unlimited' : `${config.callBudget} INFO-and-below records per call (macro events, WARN and ERROR exempt)`),
    ...(config.callBudget === 0
      ? []
      : [
          field(
            'budget share',
            config.templateShare === 100
              ? 'none (one template may spend the whole budget)'
              : `one key or template may spend ${config.templateShare}% of the budget (LOG_POLICY_TEMPLATE_SHARE)`,
          ),
          field(
            'call tail',
            tail === 0
              ? 'off (LOG_POLICY_CALL_TAIL=0)'
              : `the last ${tail} records past the budget are kept and sent just before CALL_END (LOG_POLICY_CALL_TAIL, at most half the budget)`,
          ),
        ]),
    field('call TTL', `${durationLabel(config.callTtlMs)} (state of a call that never ends is freed after this)`),
    field('caps', `${config.maxCalls} open calls, ${config.maxKeysPerCall} keys per call`),
    field('recorder', recorderLine(config)),
    field(
      'verbose calls',
      `${listOr(config.verboseCalls, 'none')} (LOG_POLICY_VERBOSE_CALLS; also escalated at run time: ` +
        `startCall(id, { '${ESCALATION_ATTRIBUTE}': 'development' }) or baggage ${ESCALATION_BAGGAGE}=1)`,
    ),
    field('log exporters', exportersLine(exporters)),
    field(
      'OTLP endpoint',
      target === undefined ? 'none set (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)' : `${target.url} (from ${target.variable}=${target.value})`,
    ),
  );
  if (batch.length > 0) lines.push(field('batch', `${batch.join(', ')} (OTEL_BLRP_*)`));
  const warnings = [...config.warnings, ...exporters.warnings];
  lines.push(field('warnings', warnings.length === 0 ? 'none' : warnings[0]!));
  for (const warning of warnings.slice(1)) lines.push(field('', warning));
  return lines;
}
