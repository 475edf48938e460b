import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a case spends its time, from a `node --cpu-prof` profile.
 *   node bench/profileSummary.ts FILE.cpuprofile [top=25]            self time per function
 *   node bench/profileSummary.ts FILE.cpuprofile [top] --under NAME  inclusive and self time of
 *                                                                     every function called under NAME
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const underAt = args.indexOf('--under');
const under = underAt >= 0 ? args.splice(underAt, 2)[1] : undefined;
const [file, top = '25'] = args;
if (file === undefined) throw new Error('usage: node bench/profileSummary.ts FILE.cpuprofile [top] [--under FUNCTION]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});
const nameOf = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `${functionName || '(anonymous)'}${url === '' ? '' : ` ${path.basename(url)}:${lineNumber + 1}`}`;
};
const inclusive = (n: Node): number => (selfUs.get(n.id) ?? 0) + (n.children ?? []).reduce((sum, c) => sum + inclusive(byId.get(c)!), 0);

// name → [inclusive, self] in µs; inclusive counted once per name on a path (recursion-safe enough here).
const totals = new Map<string, [number, number]>();
const visit = (n: Node, inside: boolean) => {
  const name = nameOf(n);
  const counted = under === undefined || inside || n.callFrame.functionName === under;
  if (counted) {
    const t = totals.get(name) ?? [0, 0];
    t[0] += inclusive(n);
    t[1] += selfUs.get(n.id) ?? 0;
    totals.set(name, t);
  }
  for (const c of n.children ?? []) visit(byId.get(c)!, under !== undefined && counted);
};
visit(profile.nodes[0]!, false);
const ms = (us: number) => (us / 1000).toFixed(0).padStart(6);
const rows = [...totals]
  .filter(([name]) => under !== undefined || name !== '(root)')
  .sort((a, b) => (under === undefined ? b[1][1] - a[1][1] : b[1][0] - a[1][0]))
  .slice(0, Number(top));
console.log(`total ${ms(total)} ms sampled${under === undefined ? '' : `; functions under ${under}`}`);
for (const [name, [incl, self]] of rows) {
  console.log(`${((100 * (under === undefined ? self : incl)) / total).toFixed(1).padStart(5)}%  incl ${ms(incl)} ms  self ${ms(self)} ms  ${name}`);
}
