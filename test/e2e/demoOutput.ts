/**
 * The number of records the demo says it exported (the "total" row of its table). The collector
 * delivers its batches to the backend in any order, so a test waits for this many records rather
 * than for one particular record.
 */
export function exportedTotal(stdout: string): number {
  const match = /^total\s+\d+\s+\d+\s+(\d+)\s/m.exec(stdout);
  if (match === null) throw new Error(`no "total" row in the demo's output:\n${stdout.slice(-2000)}`);
  return Number(match[1]);
}

/** The demo's "dropped by reason" line as numbers, e.g. { threshold: 5, rate_limit: 44, … }. */
export function droppedByReason(stdout: string): Record<string, number> {
  const match = /^dropped by reason: (.+)$/m.exec(stdout);
  if (match === null) throw new Error(`no "dropped by reason" line in the demo's output:\n${stdout.slice(-2000)}`);
  return Object.fromEntries(
    match[1]!.split(' · ').map((pair) => {
      const [reason, n] = pair.split(' ');
      return [reason!, Number(n)];
    }),
  );
}
