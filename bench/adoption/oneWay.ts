import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const REGISTER = here('../../src/register.ts');
const METER = here('./meter.mjs');

/** The ways the one-way tools (profileWay, countInstructions) run the voice server alone. */
export const ONE_WAYS: Readonly<Record<string, { execArgv: string[]; env: Record<string, string> }>> = {
  none: { execArgv: ['--import', METER], env: {} },
  sdkOnly: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_AUTO_CALLS: '0' } },
  calls: { execArgv: ['--import', METER, '--import', REGISTER], env: {} },
  register: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_CAPTURE_CONSOLE: '1' } },
};

/** Throws a clear error for a way not in ONE_WAYS. */
export function checkWay(way: string, name: string): void {
  if (ONE_WAYS[way] === undefined) throw new Error(`${name} has ${way}; accepted: ${Object.keys(ONE_WAYS).join(', ')}`);
}

/**
 * The voice server of one way, forked with `extraArgv` after the way's own (and `execPath` in
 * front of Node, if given), exporting to `otlpUrl`; resolves once it listens.
 */
export async function forkServer(
  way: string,
  options: { modelUrl: string; otlpUrl: string; extraArgv?: string[]; execPath?: string },
): Promise<{ child: ChildProcess; url: string }> {
  const { execArgv, env } = ONE_WAYS[way]!;
  const child = fork(here('./voiceServer.mjs'), [], {
    ...(options.execPath === undefined ? {} : { execPath: options.execPath }),
    execArgv: [...execArgv, ...(options.extraArgv ?? [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ...env,
      PORT: '0',
      MODEL_URL: options.modelUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpUrl.replace(/\/v1\/logs$/, ''),
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      LOG_POLICY_QUIET: '1',
    },
  });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `ws://127.0.0.1:${port}/media-stream` };
}
