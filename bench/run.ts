import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QUICK } from './harness.ts';
import { environment, environmentLine, markdownTable, type Row } from './report.ts';

/**
 * `npm run bench [-- --quick]`: runs each case in its own Node process (with --expose-gc; a case
 * measures its subject and its peer in that one process), prints the table, writes
 * bench/results/latest.json and, on a full run, the table in BENCHMARKS.md.
 * `npm run bench -- passingRecord callCost` runs only the named cases and writes nothing.
 */
const ALL_CASES = [
  'disabledDebug',
  'belowThreshold',
  'droppedInOnEmit',
  'droppedVsExported',
  'passingRecord',
  'callCost',
  'adoption',
  'adoptionShare',
  'callRecords',
  'stateMemory',
  'leak',
  'hostileKeys',
  'flightRecorder',
  'templates',
  'retention',
];
const named = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const name of named) if (!ALL_CASES.includes(name)) throw new Error(`unknown bench case ${JSON.stringify(name)}; cases: ${ALL_CASES.join(', ')}`);
const CASES = named.length > 0 ? named : ALL_CASES;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function runCase(name: string): Promise<Row[]> {
  const child = fork(here(`cases/${name}.ts`), QUICK ? ['--quick'] : [], { execArgv: ['--expose-gc'] });
  let rows: Row[] | undefined;
  child.on('message', (message: { rows: Row[] }) => {
    rows = message.rows;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || rows === undefined) throw new Error(`bench case ${name} failed (exit ${code})`);
  return rows;
}

const env = environment(QUICK);
const rows: Row[] = [];
for (const name of CASES) {
  const started = performance.now();
  const caseRows = await runCase(name);
  rows.push(...caseRows);
  console.error(`${name}: ${caseRows.map((r) => `${r.result} (goal ${r.goal})`).join(', ')} — ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const table = markdownTable(rows);
console.log(`\n${environmentLine(env)}\n\n${table}\n`);
if (named.length > 0) process.exit(0);
mkdirSync(here('results'), { recursive: true });
writeFileSync(here('results/latest.json'), `${JSON.stringify({ environment: env, rows }, null, 2)}\n`);

if (!QUICK) {
  const doc = here('../BENCHMARKS.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    writeFileSync(doc, `${text.slice(0, from + start.length)}\n${environmentLine(env)}\n\n${table}\n${text.slice(to)}`);
  }
}
const missed = rows.filter((r) => !r.met).map((r) => r.id);
if (missed.length > 0) console.log(`goals missed: ${missed.join(', ')} (see BENCHMARKS.md)`);
