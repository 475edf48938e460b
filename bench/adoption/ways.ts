import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const METER = here('./meter.mjs');
const REGISTER = here('../../src/register.ts');
const BURN = here('./burn.mjs');

/** The calibration way's known cost: nanoseconds of pure CPU before every socket message event. */
export const BURN_NS = 1_000;

export interface WayConfig {
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * How the voice server runs: the ways a team runs it (as it is, under register with env only,
 * with calls opened by hand), parts of register alone, and the yardsticks. The adoption case and
 * the one-way tools (profileWay, countInstructions) all run these.
 */
export const WAYS = {
  none: { execArgv: ['--import', METER], env: {} },
  register: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_CAPTURE_CONSOLE: '1' } },
  hand: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_CAPTURE_CONSOLE: '1', LOG_POLICY_AUTO_CALLS: '0', HAND_CALLS: '1' } },
  /** Register with no console capture and no call scopes: what the SDK that register starts costs by itself. */
  sdkOnly: { execArgv: ['--import', METER, '--import', REGISTER], env: { LOG_POLICY_AUTO_CALLS: '0' } },
  /** Register with call scopes and no console capture. */
  calls: { execArgv: ['--import', METER, '--import', REGISTER], env: {} },
  /** No package; a known BURN_NS of CPU per socket event: how much the side-by-side ratio moves for a known cost. */
  burn: { execArgv: ['--import', METER, '--import', BURN], env: { BURN_NS: String(BURN_NS) } },
} as const satisfies Record<string, WayConfig>;
export type Way = keyof typeof WAYS;

/** `name`'s value as a way, or a clear error. */
export function wayOf(value: string, name: string): Way {
  if (!Object.hasOwn(WAYS, value)) throw new Error(`${name} has ${value}; accepted: ${Object.keys(WAYS).join(', ')}`);
  return value as Way;
}

export interface ForkOptions {
  modelUrl: string;
  /** The sink's URL (its /v1/logs path is cut off for OTEL_EXPORTER_OTLP_ENDPOINT). */
  otlpUrl: string;
  /** Variables set over the way's own and the defaults here. */
  env?: Readonly<Record<string, string>>;
  /** Node options after the way's own. */
  extraArgv?: readonly string[];
  /** What runs the server in Node's place (a wrapper script), if anything. */
  execPath?: string;
  /** The server's stderr: the terminal's, or none. */
  stderr: 'inherit' | 'ignore';
}

/** The voice server of one way, forked (its stdout ignored), and its URL once it listens. */
export async function forkServer(way: Way, options: ForkOptions): Promise<{ child: ChildProcess; url: string }> {
  const { execArgv, env } = WAYS[way] as WayConfig;
  const child = fork(here('./voiceServer.mjs'), [], {
    ...(options.execPath === undefined ? {} : { execPath: options.execPath }),
    execArgv: [...execArgv, ...(options.extraArgv ?? [])],
    stdio: ['ignore', 'ignore', options.stderr, 'ipc'],
    env: {
      ...process.env,
      ...env,
      PORT: '0',
      MODEL_URL: options.modelUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpUrl.replace(/\/v1\/logs$/, ''),
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      ...options.env,
    },
  });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `ws://127.0.0.1:${port}/media-stream` };
}
