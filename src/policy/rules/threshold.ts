import type { RecordFacts } from '../facts.ts';
import type { CompiledPolicy } from '../CompiledPolicy.ts';
import { DROP, PASS, type Verdict } from '../verdict.ts';

/** Rule 4: the logger's threshold (most specific rule), with the macro and DEBUG_TX exemptions. */
export function threshold(facts: RecordFacts, policy: CompiledPolicy): Verdict {
  const min = policy.effectiveThreshold(policy.thresholdOf(facts.logger), facts.isMacro, facts.rules.tx);
  return facts.severity >= min ? PASS : DROP.threshold;
}
