/** What the automatic call scopes did since the instrumentation was created. */
export interface CallsStats {
  /** Connections that became calls, and those whose socket has closed (CALL_END sent). */
  opened: number;
  ended: number;
  /** Calls by what named them: a protocol's name, `url`, `header` or `generated`. */
  namedBy: Record<string, number>;
  /**
   * Calls whose socket's handle now runs in the call (its events arrive there without a switch each;
   * see moveHandleHere). The others' events are switched into the call one by one.
   */
  handlesMoved: number;
  /** Calls the app scoped itself with `startCall` before they were named: they took its id and stayed silent. */
  claimed: number;
  /** Records held until their call was named, and calls named early because their hold was full. */
  heldRecords: number;
  heldOverflows: number;
  /** Start messages whose id was missing, not a string, or not a usable id (spaces, commas, over 256 characters). */
  invalidIds: number;
  /** Text messages not parsed for a name: larger than the limit, or not JSON. */
  oversizedMessages: number;
  unparsedMessages: number;
}

export class CallsCounters {
  opened = 0;
  ended = 0;
  handlesMoved = 0;
  claimed = 0;
  heldRecords = 0;
  heldOverflows = 0;
  invalidIds = 0;
  oversizedMessages = 0;
  unparsedMessages = 0;
  /** Keys are the protocols' names and the three fallbacks: bounded by the configuration. */
  private readonly byName = new Map<string, number>();

  namedBy(name: string): void {
    this.byName.set(name, (this.byName.get(name) ?? 0) + 1);
  }

  snapshot(): CallsStats {
    const { opened, ended, handlesMoved, claimed, heldRecords, heldOverflows, invalidIds, oversizedMessages, unparsedMessages } = this;
    return { opened, ended, handlesMoved, claimed, namedBy: Object.fromEntries(this.byName), heldRecords, heldOverflows, invalidIds, oversizedMessages, unparsedMessages };
  }
}
