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
