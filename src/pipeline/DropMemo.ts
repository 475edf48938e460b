import type { Context } from '@opentelemetry/api';
import type { CallHandle } from '../state/callContext.ts';
import type { CallState } from '../state/CallState.ts';
import { blankFacts, type RecordFacts } from '../policy/facts.ts';

/**
 * One facade level's last record dropped by its key's own rules (a once-key spent, a rate limit
 * running) in an open call: a frame loop repeats that record thousands of times, and a repeat (same
 * call, same body tag, no call or key attribute of its own) is answered by those rules alone, against
 * the call's state now, and counted as the full path counts it. Owned by the facade level that
 * holds it (see Judge.memo); empty until its first such drop.
 */
export class DropMemo {
  /** The running call the drop was decided in; undefined while empty. */
  running: CallHandle | undefined = undefined;
  /** The active context it was decided in, when that context holds the call itself: the same context is the same call. */
  context: Context | undefined = undefined;
  /** That call's state when it was decided: a repeat is answered only while the store still holds this one. */
  state: CallState | undefined = undefined;
  /** The facts of that record (rules, key, logger), for the rules and the hooks. */
  readonly facts: RecordFacts = blankFacts();
  /** Where its drops are counted: its key's row in the call's drop table, and its cell in the processor's counts. */
  row = -1;
  /** The body's opening `[TAG]` as character codes, compared without reading the key's characters again. */
  tag: number[] = [];
  cell: [number] = [0];

  /** Does `body` open with this memo's `[TAG]`? */
  opensWithTag(body: string): boolean {
    const tag = this.tag;
    for (let i = 0; i < tag.length; i++) if (body.charCodeAt(i) !== tag[i]) return false;
    return true;
  }

  forget(): void {
    this.running = undefined;
    this.context = undefined;
    this.state = undefined;
  }
}
