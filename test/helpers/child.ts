import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The zero-code entry, run from source: Node 24 strips the types. */
export const REGISTER = fileURLToPath(new URL('../../src/register.ts', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Sent once the child has printed `ready` on stdout. */
  signalWhenReady?: NodeJS.Signals;
  /** A hang guard, not a timing assertion. */
  timeoutMs?: number;
}

/** This process's environment without the variables that would change the child's policy or SDK. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(OTEL_|LOG_POLICY_|DEBUG)/.test(key) || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return env;
}

/** Runs `node ...args` (this Node, 24 under vitest) and resolves when it has exited. */
export function runNode(args: string[], options: RunOptions = {}): Promise<ChildResult> {
  return startNode(args, options).result;
}

/** Like {@link runNode}, with the child at hand to signal. */
export function startNode(args: string[], options: RunOptions = {}): { child: ChildProcess; result: Promise<ChildResult> } {
  const child = spawn(process.execPath, args, { env: { ...baseEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.signalWhenReady !== undefined && !signalled && /^ready$/m.test(stdout)) {
      signalled = true;
      child.kill(options.signalWhenReady);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, result };
}
