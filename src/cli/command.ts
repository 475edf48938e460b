import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** A CLI subcommand: arguments after its name and the environment in, lines out, an exit code back. */
export type Command = (argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void) => number;

/** A bad command line: the CLI prints the message and the usage, exit code 2. */
export class UsageError extends Error {
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}

/** Strict flags, no positionals; a parse error becomes a UsageError carrying `usage`. */
export function parseFlags<const O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
}
