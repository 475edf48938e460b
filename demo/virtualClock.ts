/**
 * A millisecond clock that moves only when told to: the demo and the benchmarks pass its `now`
 * to LogPolicyProcessor (and RateLimiter), so a 3-minute call runs in milliseconds and every
 * time-based rule sees call time, not wall time.
 */
/** What a call script needs of a clock (the tests' FakeClock fits too). */
export interface ScriptClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export class VirtualClock implements ScriptClock {
  private t: number;

  constructor(start = 0) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  advance(ms: number): void {
    this.t += ms;
  }

  /** Moves to `t`; never backwards. */
  advanceTo(t: number): void {
    if (t > this.t) this.t = t;
  }
}
