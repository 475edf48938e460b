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
