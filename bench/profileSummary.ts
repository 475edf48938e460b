import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Self time per function from a `node --cpu-prof` profile: where a case spends its time.
 * Usage: node bench/profileSummary.ts FILE.cpuprofile [top=25]
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/profileSummary.ts FILE.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${path.basename(url)}:${lineNumber + 1}`;
  const name = `${functionName || '(anonymous)'}${where}`;
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  selfUs.set(name, (selfUs.get(name) ?? 0) + dt);
});
const rows = [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
for (const [name, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
