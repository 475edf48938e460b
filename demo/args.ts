import { parseFlags, UsageError } from '../src/cli/command.ts';

export interface DemoArgs {
  calls: number;
  /** Seconds per call. */
  duration: number;
  /** Audio frames per second per call. */
  rate: number;
  /** Virtual seconds per real second; Infinity = no pacing. */
  speed: number;
  /** 1-based number of the call that breaks half-way (SERVER_ERROR), so the flight recorder's flush shows. */
  failCall: number | undefined;
  /** 1-based number of the call escalated to development thresholds (`log.policy.mode` on CALL_START). */
  verboseCall: number | undefined;
  help: boolean;
}

export const USAGE = `usage: npm run demo -- [--calls N] [--duration SECONDS] [--rate FPS] [--speed FACTOR|max] [--fail-call N] [--verbose-call N]
  --calls N           concurrent calls, overlapping (default 5)
  --duration SECONDS  length of each call (default 180)
  --rate FPS          audio frames per second per call (default 50, i.e. 20 ms frames)
  --speed FACTOR      virtual seconds per real second (default 100; 1 = real time; max = no pacing)
  --fail-call N       call-N breaks half-way with a SERVER_ERROR; with LOG_POLICY_RECORDER=200 and
                      LOG_POLICY_RECORDER_FLUSH_ON=SERVER_ERROR its dropped records are flushed just
                      before the error (log.recorded=true), and only its
  --verbose-call N    call-N is escalated: development thresholds and no budget, the others stay as they are
environment: DEBUG=0 for development mode, LOG_POLICY_* to tune the policy (LOG_POLICY_RECORDER=200 for the
  flight recorder, LOG_POLICY_VERBOSE_CALLS=call-3 to escalate by id), OTEL_EXPORTER_OTLP_ENDPOINT to send
  to a collector instead of the console`;

function number(flag: string, text: string | undefined, fallback: number, check: (n: number) => boolean, accepted: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not valid: ${accepted}`, USAGE);
  return value;
}

export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const values = parseFlags(
    argv,
    {
      calls: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      speed: { type: 'string' },
      'fail-call': { type: 'string' },
      'verbose-call': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  const calls = number('calls', values.calls, 5, (n) => whole(n, 10_000), 'accepted: a whole number from 1 to 10000');
  const callNumber = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : number(flag, text, 0, (n) => whole(n, calls), `accepted: a call number from 1 to ${calls} (--calls)`);
  return {
    calls,
    failCall: callNumber('fail-call', values['fail-call']),
    verboseCall: callNumber('verbose-call', values['verbose-call']),
    duration: number('duration', values.duration, 180, (n) => n > 0 && n <= 86_400, 'accepted: seconds, more than 0 and at most 86400'),
    rate: number('rate', values.rate, 50, (n) => whole(n, 1000), 'accepted: a whole number of frames per second from 1 to 1000'),
    speed: values.speed === 'max' ? Number.POSITIVE_INFINITY : number('speed', values.speed, 100, (n) => n > 0, 'accepted: a factor above 0 (1 = real time), or max'),
    help: values.help === true,
  };
}
