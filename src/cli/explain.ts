import { LEVEL_NAMES, parseLevel } from '../config/levels.ts';
import { describeEscalation, escalatedConfig } from '../pipeline/hooks/escalation.ts';
import { loadPolicyConfig } from '../config/loadPolicyConfig.ts';
import { describePolicy } from './explainPolicy.ts';
import { explainRecord } from './explainRecord.ts';
import { parseFlags, UsageError, type Command } from './command.ts';

export const EXPLAIN_USAGE = `usage: otel-log-policy explain [--call ID] [--line TEXT] [--logger NAME --level LEVEL [--key KEY] [--call [ID]]]
  Prints the logging policy the current environment gives (DEBUG, LOG_POLICY_*, OTEL_LOGS_EXPORTER, OTEL_EXPORTER_OTLP_*).
  --logger NAME   with --level: would a record from this logger pass, and which rule decides?
  --level LEVEL   ${LEVEL_NAMES}
  --key KEY       the record's key (log.key, event name or leading [TAG] of the body), e.g. TX_SLOW
  --line TEXT     the record's message: its template key, and the rule that would act on it
                  (logger "app" at info unless --logger/--level say otherwise)
  --call          the record is logged inside a call (once-keys, rate limits and the budget are per call)
  --call ID       inside call ID: is that call escalated to development thresholds, and why?`;

/** `--call ID` → the id, taken out of argv; a bare `--call` (followed by nothing or another flag) stays a switch. */
function takeCallId(argv: readonly string[]): { rest: string[]; callId: string | undefined } {
  const rest = [...argv];
  const at = rest.findIndex((arg, i) => arg === '--call' && rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('-'));
  if (at < 0) return { rest, callId: undefined };
  const [, callId] = rest.splice(at, 2);
  rest.push('--call');
  return { rest, callId };
}

/** `explain`: the effective policy, and optionally the fate of one hypothetical record. */
export const explain: Command = (argv, env, out) => {
  const { rest, callId } = takeCallId(argv);
  const values = parseFlags(
    rest,
    {
      logger: { type: 'string' },
      level: { type: 'string' },
      key: { type: 'string' },
      line: { type: 'string' },
      call: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    EXPLAIN_USAGE,
  );
  if (values.help === true) {
    out(EXPLAIN_USAGE);
    return 0;
  }
  // --line alone asks about an ordinary app line at INFO.
  if (values.line !== undefined) {
    values.logger ??= 'app';
    values.level ??= 'info';
  }
  const asksRecord = values.logger !== undefined || values.level !== undefined || values.key !== undefined || (values.call === true && callId === undefined);
  if (asksRecord && (values.logger === undefined || values.level === undefined)) {
    throw new UsageError('--logger and --level go together (--key and --call need them)', EXPLAIN_USAGE);
  }
  const severity = values.level === undefined ? undefined : parseLevel(values.level);
  if (values.level !== undefined && severity === undefined) {
    throw new UsageError(`--level ${JSON.stringify(values.level)} is not a level; accepted: ${LEVEL_NAMES}`, EXPLAIN_USAGE);
  }
  if (values.logger !== undefined && values.logger.trim() === '') throw new UsageError('--logger needs a logger name', EXPLAIN_USAGE);

  const config = loadPolicyConfig(env);
  out('Effective logging policy (otel-log-policy)');
  for (const line of describePolicy(config, env)) out(line);
  const escalation = callId === undefined ? undefined : describeEscalation(config, callId);
  if (callId !== undefined && escalation !== undefined) {
    out('');
    out(`${'call'.padEnd(15)} ${callId}: ${escalation.escalated ? 'ESCALATED' : 'not escalated'}, ${escalation.reason}`);
  }
  if (values.logger !== undefined && severity !== undefined) {
    out('');
    const question = { logger: values.logger, severity, inCall: values.call === true };
    // An escalated call's records are judged by the development thresholds it gets.
    const judgedBy = escalation?.escalated === true ? escalatedConfig(config) : config;
    const asked = { ...question, ...(values.key === undefined ? {} : { key: values.key }), ...(values.line === undefined ? {} : { line: values.line }) };
    for (const line of explainRecord(judgedBy, asked)) out(line);
  }
  return 0;
};
