import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.ts';

export const INIT_USAGE = `usage: otel-log-policy init [DIR] [--force]
  Writes the collector, VictoriaLogs and VictoriaMetrics stack into DIR (default: the current directory):
    collector-config.yaml   the OpenTelemetry Collector's configuration
    docker-compose.yml      the collector (contrib image), VictoriaLogs and VictoriaMetrics, ports on 127.0.0.1 only
  A file that is already there is kept and reported (exit code 1); --force overwrites it.`;

/** The files `init` copies, as shipped at the package's root (the same files the repository runs). */
export const STACK_FILES = ['collector-config.yaml', 'docker-compose.yml'] as const;

/** The package root: src/cli/ or dist/cli/ is two levels below it. */
const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..');

type Outcome = 'wrote' | 'kept' | 'failed';

function copy(name: string, dir: string, force: boolean): { outcome: Outcome; detail?: string } {
  const text = readFileSync(join(PACKAGE_ROOT, name), 'utf8');
  try {
    // `wx` fails if the file exists, so nothing is overwritten between a check and the write.
    writeFileSync(join(dir, name), text, { flag: force ? 'w' : 'wx' });
    return { outcome: 'wrote' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { outcome: 'kept' };
    return { outcome: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
}

function parseInitArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), INIT_USAGE);
  }
}

/** `init [DIR] [--force]`: the stack's files into the user's project; exit 0 if all were written, 1 if any was not. */
export const init: Command = (argv, _env, out) => {
  const parsed = parseInitArgs(argv);
  if (parsed.values.help === true) {
    out(INIT_USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) throw new UsageError(`one directory at most, got ${parsed.positionals.length}`, INIT_USAGE);
  const dir = resolve(parsed.positionals[0] ?? '.');
  const near = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
  };
  const shown = (name: string) => near(join(dir, name));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    out(`could not create ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  let complete = true;
  for (const name of STACK_FILES) {
    const { outcome, detail } = copy(name, dir, parsed.values.force === true);
    if (outcome === 'wrote') out(`wrote   ${shown(name)}`);
    else if (outcome === 'kept') out(`kept    ${shown(name)}: it exists (otel-log-policy init --force overwrites it)`);
    else out(`failed  ${shown(name)}: ${detail}`);
    complete &&= outcome === 'wrote';
  }
  out('');
  out(`next: cd ${near(dir)} && docker compose up -d`);
  out('      then run your service with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node --import otel-log-policy/register app.js');
  out('      and open http://127.0.0.1:9428/select/vmui/ (VictoriaLogs) for its records, http://127.0.0.1:8428/vmui/ (VictoriaMetrics) for the metrics');
  return complete ? 0 : 1;
};
