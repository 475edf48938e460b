import { checkBacktracking } from './backtracking.ts';
import { LogPolicyConfigError } from './errors.ts';

const ACCEPTED =
  'accepted: one JavaScript regular expression (join several with |) that does not match the empty string and that the recheck ReDoS checker ' +
  'finds free of super-linear backtracking (bound repeats that can follow each other, e.g. [\\w.]{1,64}@corp\\.example rather than [\\w.]+@corp\\.example)';

/** No repeat and no group: each match attempt reads at most the pattern's length, so no checker is needed. */
const PLAIN = /^(?:[^\\*+?{}()]|\\[A-Za-z0-9])*$/;

/**
 * `LOG_POLICY_REDACT_PATTERNS` → a global RegExp. One expression rather than a list: any separator
 * would also be a regex character, and `|` already lists alternatives. A pattern that matches the
 * empty string would mark every gap between characters, so it is refused. It runs on every string
 * of every exported record, in V8's backtracking engine (a linear-time engine in JS is 100× slower),
 * so a pattern that can backtrack super-linearly (`(a+)+$`: a minute on 40 characters) is refused
 * at start-up rather than found on the first hostile body.
 */
export function parseRedactPattern(variable: string, value: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(value, 'g');
  } catch (error) {
    throw new LogPolicyConfigError(variable, value, `${(error as Error).message}; ${ACCEPTED}`);
  }
  for (const sample of ['', ' ', 'a', '0']) {
    pattern.lastIndex = 0;
    const match = pattern.exec(sample);
    if (match !== null && match[0] === '') throw new LogPolicyConfigError(variable, value, `it matches the empty string; ${ACCEPTED}`);
  }
  pattern.lastIndex = 0;
  if (!PLAIN.test(value)) {
    const verdict = checkBacktracking(value, 'g');
    if (!verdict.safe) throw new LogPolicyConfigError(variable, value, `${verdict.reason}; ${ACCEPTED}`);
  }
  return pattern;
}
