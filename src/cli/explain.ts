import { LEVEL_NAMES, parseLevel } from '../config/levels.ts';
import { loadPolicyConfig } from '../config/load.ts';
import { describePolicy } from './explainPolicy.ts';
import { explainRecord } from './explainRecord.ts';
import { parseFlags, UsageError, type Command } from './command.ts';

export const EXPLAIN_USAGE = `usage: otel-log-policy explain [--logger NAME --level LEVEL [--key KEY] [--call]]
  Prints the logging policy the current environment gives (DEBUG, LOG_POLICY_*, OTEL_EXPORTER_OTLP_*).
  --logger NAME   with --level: would a record from this logger pass, and which rule decides?
  --level LEVEL   ${LEVEL_NAMES}
  --key KEY       the record's key (log.key, event name or leading [TAG] of the body), e.g. TX_SLOW
  --call          the record is logged inside a call (once-keys, rate limits and the budget are per call)`;

/** `explain`: the effective policy, and optionally the fate of one hypothetical record. */
export const explain: Command = (argv, env, out) => {
  const values = parseFlags(argv, {
    logger: { type: 'string' },
    level: { type: 'string' },
    key: { type: 'string' },
    call: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, EXPLAIN_USAGE);
  if (values.help === true) {
    out(EXPLAIN_USAGE);
    return 0;
  }
  const asksRecord = values.logger !== undefined || values.level !== undefined || values.key !== undefined || values.call === true;
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
  if (values.logger !== undefined && severity !== undefined) {
    out('');
    const question = { logger: values.logger, severity, inCall: values.call === true };
    for (const line of explainRecord(config, values.key === undefined ? question : { ...question, key: values.key })) out(line);
  }
  return 0;
};
