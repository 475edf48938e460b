#!/usr/bin/env node
/** The `otel-log-policy` command: dispatches to its subcommands. */
import { LogPolicyConfigError } from '../config/errors.ts';
import { UsageError, type Command } from './command.ts';
import { explain } from './explain.ts';
import { init } from './init.ts';

const COMMANDS: Readonly<Record<string, Command>> = { explain, init };

const USAGE = `usage: otel-log-policy <command> [options]
commands:
  explain   print the effective logging policy; with --logger/--level, explain one record's fate
  init      write the collector, VictoriaLogs and VictoriaMetrics stack (collector-config.yaml, docker-compose.yml) into a directory
run "otel-log-policy <command> --help" for a command's options`;

// Piped into `head`, stdout closes early: that ends the output, it is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function main(argv: readonly string[]): number {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return 0;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    err(name === undefined ? USAGE : `otel-log-policy: unknown command ${JSON.stringify(name)}\n${USAGE}`);
    return 2;
  }
  try {
    return command(rest, process.env, out);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`otel-log-policy ${name}: ${error.message}\n${error.usage}`);
      return 2;
    }
    if (error instanceof LogPolicyConfigError) {
      // The same message the processor throws at start-up.
      err(`${error.name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
