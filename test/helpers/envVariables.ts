import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Which environment variables src/ reads, found in the source text, and which ones a configuration
 * page documents. One scan serves the docs test (every variable read is documented, and only those)
 * and the config property test (random values in every variable the policy reads).
 */

export const SRC = resolve(import.meta.dirname, '../../src');

/** A variable's name as the code spells it: upper case, digits, underscores. */
const NAME = String.raw`'([A-Z][A-Z0-9_]*)'`;

/** The generic readers of src/config/envReaders.ts: exported functions taking `(env: Env, variable: string, …)`. */
export function readerNames(envReadersSource: string): string[] {
  return [...envReadersSource.matchAll(/export function (\w+)\(\s*env: Env,\s*variable: string/g)].map((m) => m[1]!);
}

/**
 * The variables one source file reads, in the three ways src/ reads them:
 * - a reader called with a literal name: `read(env, 'X')`, `count(env, 'X', 0, 1)`;
 * - an index or property with a literal name: `env['X']`, `env?.['X']`, `process.env.X`;
 * - an index with a computed name (`env[variable]` over a table of names, as otelEnv.ts reads OTEL_BLRP_*):
 *   then every quoted name of a variable's shape in that file (`'A_B'`, with an underscore) counts.
 * A name that is only mentioned (in an error message, a label) is not a read.
 */
export function variablesReadIn(source: string, readers: readonly string[]): Set<string> {
  const found = new Set<string>();
  const add = (pattern: RegExp) => {
    for (const match of source.matchAll(pattern)) found.add(match[1]!);
  };
  if (readers.length > 0) add(new RegExp(String.raw`\b(?:${readers.join('|')})\(\s*[\w.]+\s*,\s*${NAME}`, 'g'));
  add(new RegExp(String.raw`\benv\s*(?:\?\.)?\[\s*${NAME}\s*\]`, 'g'));
  add(/\benv\??\.([A-Z][A-Z0-9_]*)\b/g);
  // `read()` itself indexes env[variable] with its parameter; a file of readers has no table of names.
  if (/\benv\s*(?:\?\.)?\[\s*[a-z]\w*\s*\]/.test(source)) add(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every variable the code under `src` reads, sorted. */
export function variablesReadBySrc(src = SRC): string[] {
  const readers = readerNames(readFileSync(join(src, 'config/envReaders.ts'), 'utf8'));
  const all = new Set<string>();
  for (const file of sourceFiles(src)) for (const name of variablesReadIn(readFileSync(file, 'utf8'), readers)) all.add(name);
  return [...all].sort();
}

/** The variables of the policy and the register entry: all but the standard OTEL_* ones (those are OpenTelemetry's to judge). */
export function policyVariablesReadBySrc(src = SRC): string[] {
  return variablesReadBySrc(src).filter((name) => !name.startsWith('OTEL_'));
}

/** A table row documenting one variable: `| \`NAME\` | default | accepted values | meaning |`. */
export interface VariableRow {
  name: string;
  cells: string[];
}

/** Cells of a Markdown table row, splitting on `|` but not on an escaped `\|`. */
function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The variable rows under each `## ` heading of a page: a row whose first cell is one `NAME` in backticks. */
export function variableRowsBySection(markdown: string): Map<string, VariableRow[]> {
  const sections = new Map<string, VariableRow[]>();
  let heading = '';
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    if (line.startsWith('## ')) heading = line.slice(3).trim();
    const cells = line.startsWith('|') ? cellsOf(line) : [];
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (name === undefined) continue;
    sections.set(heading, [...(sections.get(heading) ?? []), { name, cells }]);
  }
  return sections;
}
