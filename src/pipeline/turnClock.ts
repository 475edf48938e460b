/**
 * The default clock of the policy: `performance.now()`, read at most once per run of synchronous
 * code. A clock read costs 20–80 ns (a VM without a vDSO clock is at the top of that), as much as
 * the rest of a dropped record's rules; records logged in one handler or one loop share the
 * reading, and the next microtask checkpoint forgets it. A time-based rule is therefore late by at
 * most the length of the synchronous run it is decided in. An injected clock (tests) is used as is.
 */
export function turnClock(read: () => number = performance.now.bind(performance)): () => number {
  let reading = 0;
  let fresh = false;
  const forget = (): void => {
    fresh = false;
  };
  return () => {
    if (fresh) return reading;
    reading = read();
    fresh = true;
    queueMicrotask(forget);
    return reading;
  };
}
