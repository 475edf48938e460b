// Test helper: runs the real collector (built from collector/builder-config.yaml,
// with the real collector-config.yaml), VictoriaLogs and VictoriaMetrics as
// child processes on free loopback ports with temporary data directories, and
// reads back what they stored.
//
// The binaries come from `bash collector/build.sh` (run by `npm test`'s
// pretest), or from OTELCOL_BIN / VICTORIALOGS_BIN / VICTORIAMETRICS_BIN /
// COMPOSECHECK_BIN. A missing binary is an error, never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenLogs, type FlatLogRecord, type OtlpLogsRequest } from '../helpers/otlpJson.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COLLECTOR_CONFIG = join(ROOT, 'collector-config.yaml');
const BIN_DIR = join(ROOT, '.cache', 'bin');

const BINARIES = {
  otelcol: { env: 'OTELCOL_BIN', file: 'otelcol-policy' },
  victorialogs: { env: 'VICTORIALOGS_BIN', file: 'victoria-logs' },
  victoriametrics: { env: 'VICTORIAMETRICS_BIN', file: 'victoria-metrics' },
  composecheck: { env: 'COMPOSECHECK_BIN', file: 'composecheck' },
} as const;

/** Path of a tool binary; throws (the test fails) when it is missing. */
export function binaryPath(name: keyof typeof BINARIES): string {
  const { env, file } = BINARIES[name];
  const fromEnv = process.env[env];
  const path = fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(BIN_DIR, file);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${name} binary not found or not executable at ${path}. ` + `Run \`bash collector/build.sh\` (npm test runs it as pretest), or set ${env}.`);
  }
  return path;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free right after). */
export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no port'));
        return;
      }
      server.close(() => resolvePort(address.port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  exitCode: number | null | undefined;
}

function startProcess(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Proc {
  // Appended: a process restarted by an outage test keeps its earlier output.
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(bin, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const proc: Proc = {
    name,
    child,
    logFile,
    exitCode: undefined,
    exited: new Promise((r) => {
      child.on('error', (err) => {
        out.write(`spawn error: ${String(err)}\n`);
        proc.exitCode = null;
        r(null);
      });
      child.on('exit', (code) => {
        proc.exitCode = code;
        r(code);
      });
    }),
  };
  return proc;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

async function waitHealthy(proc: Proc, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.exitCode !== undefined) {
      throw new Error(`${proc.name} exited (code ${String(proc.exitCode)}) before becoming healthy:\n${tail(proc.logFile)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await sleep(100);
  }
  throw new Error(`${proc.name} not healthy at ${url} after ${timeoutMs} ms (${last}):\n${tail(proc.logFile)}`);
}

async function stopProcess(proc: Proc, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
  if (proc.exitCode !== undefined) return;
  proc.child.kill(signal);
  const timer = sleep(timeoutMs).then(() => 'timeout' as const);
  if ((await Promise.race([proc.exited, timer])) === 'timeout') {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

/**
 * Flags both backends run with, here, in docker-compose.yml and in collector/README.md (a test
 * checks those two say the same): no CORS headers, so a page of another origin can neither read
 * the API's answers nor send it a preflighted request; and in-memory data written to disk every
 * second (the minimum; default 5 s), which bounds what a crash loses after acknowledging it.
 */
export const BACKEND_FLAGS = ['-http.disableCORS', '-inmemoryDataFlushInterval=1s'] as const;

export interface Stack {
  /** Base URL of the collector's OTLP/HTTP receiver; logs go to `${otlpHttpUrl}/v1/logs`. */
  otlpHttpUrl: string;
  /** host:port of the collector's OTLP/gRPC receiver. */
  otlpGrpcEndpoint: string;
  /** Base URL of VictoriaLogs (query API at /select/logsql/query, UI at /select/vmui/). */
  victoriaLogsUrl: string;
  /** Base URL of VictoriaMetrics (Prometheus query API at /api/v1/query, UI at /vmui/). */
  victoriaMetricsUrl: string;
  /** The collector's lifecycle JSON-lines file. */
  lifecycleFile: string;
  /** Temporary directory holding data, queue and process logs. */
  dir: string;
  collectorLog: string;
  victoriaLogsLog: string;
  victoriaMetricsLog: string;
  /** SIGTERM every process (collector first, so it drains to the backends), wait, remove the temp dir. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
  /** Each process alone, for outage tests: stopped (SIGTERM) and started again on the same ports and data. */
  collector: Restartable;
  victoriaLogs: Restartable;
  victoriaMetrics: Restartable;
}

export interface Restartable {
  /** SIGTERM by default; SIGKILL for a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again and resolves once it is healthy. */
  start(): Promise<void>;
  /** SIGSTOP: the process hangs; the kernel still accepts connections and buffers what they send. */
  pause(): void;
  /** SIGCONT: it goes on with whatever was sent to it meanwhile. */
  resume(): void;
}

function sendSignal(proc: Proc | undefined, sig: 'SIGSTOP' | 'SIGCONT'): void {
  if (proc === undefined || proc.exitCode !== undefined) throw new Error(`cannot send ${sig}: the process is not running`);
  proc.child.kill(sig);
}

/**
 * Starts VictoriaLogs and VictoriaMetrics, then the collector pointed at them; resolves once all are
 * healthy. `collectorEnv` adds to the collector's environment (e.g. OTELCOL_TRACES_EXPORTER).
 */
export async function startStack(opts: { startTimeoutMs?: number; collectorEnv?: NodeJS.ProcessEnv } = {}): Promise<Stack> {
  const timeout = opts.startTimeoutMs ?? 30_000;
  const otelcolBin = binaryPath('otelcol');
  const vlBin = binaryPath('victorialogs');
  const vmBin = binaryPath('victoriametrics');
  const dir = await mkdtemp(join(tmpdir(), 'otel-log-policy-e2e-'));
  const [vlPort, vmPort, httpPort, grpcPort, healthPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const victoriaLogsUrl = `http://127.0.0.1:${vlPort}`;
  const victoriaMetricsUrl = `http://127.0.0.1:${vmPort}`;
  const lifecycleFile = join(dir, 'otelcol', 'lifecycle.jsonl');
  const running: { vl?: Proc; vm?: Proc; col?: Proc } = {};

  const stop = async (stopOpts: { keepDir?: boolean } = {}) => {
    for (const p of [running.col, running.vl, running.vm]) {
      if (p === undefined) continue;
      if (p.exitCode === undefined) p.child.kill('SIGCONT'); // a paused process cannot act on SIGTERM
      await stopProcess(p);
    }
    if (stopOpts.keepDir !== true) await rm(dir, { recursive: true, force: true });
  };

  const startVictoriaLogs = async () => {
    const vl = startProcess(
      'victoria-logs',
      vlBin,
      [
        `-httpListenAddr=127.0.0.1:${vlPort}`,
        `-storageDataPath=${join(dir, 'victoria-logs-data')}`,
        '-loggerLevel=WARN',
        // Tests send records with the current time; keep a short retention.
        '-retentionPeriod=1d',
        ...BACKEND_FLAGS,
      ],
      process.env,
      join(dir, 'victoria-logs.log'),
    );
    running.vl = vl;
    await waitHealthy(vl, `${victoriaLogsUrl}/health`, timeout);
  };

  const startVictoriaMetrics = async () => {
    const vm = startProcess(
      'victoria-metrics',
      vmBin,
      [
        `-httpListenAddr=127.0.0.1:${vmPort}`,
        `-storageDataPath=${join(dir, 'victoria-metrics-data')}`,
        '-loggerLevel=WARN',
        '-retentionPeriod=1d',
        // Queries see points as soon as they are stored (the default hides the last 30 s, too
        // long for a test that has just sent them) and are not cached between polls.
        '-search.latencyOffset=0s',
        '-search.disableCache',
        ...BACKEND_FLAGS,
      ],
      process.env,
      join(dir, 'victoria-metrics.log'),
    );
    running.vm = vm;
    await waitHealthy(vm, `${victoriaMetricsUrl}/health`, timeout);
  };

  const startCollector = async () => {
    const col = startProcess(
      'otelcol-policy',
      otelcolBin,
      ['--config', COLLECTOR_CONFIG],
      {
        ...process.env,
        OTELCOL_HTTP_ENDPOINT: `127.0.0.1:${httpPort}`,
        OTELCOL_GRPC_ENDPOINT: `127.0.0.1:${grpcPort}`,
        OTELCOL_HEALTH_ENDPOINT: `127.0.0.1:${healthPort}`,
        OTELCOL_STORAGE_DIR: join(dir, 'otelcol', 'storage'),
        OTELCOL_LIFECYCLE_FILE: lifecycleFile,
        VICTORIALOGS_OTLP_ENDPOINT: `${victoriaLogsUrl}/insert/opentelemetry`,
        VICTORIAMETRICS_OTLP_ENDPOINT: `${victoriaMetricsUrl}/opentelemetry`,
        // The collector's own metrics every second, so a test sees its counters soon.
        OTELCOL_TELEMETRY_INTERVAL_MS: '1000',
        ...opts.collectorEnv,
      },
      join(dir, 'otelcol.log'),
    );
    running.col = col;
    await waitHealthy(col, `http://127.0.0.1:${healthPort}/`, timeout);
  };

  try {
    await startVictoriaLogs();
    await startVictoriaMetrics();
    await startCollector();
  } catch (err) {
    await stop({ keepDir: true });
    throw err;
  }

  return {
    otlpHttpUrl: `http://127.0.0.1:${httpPort}`,
    otlpGrpcEndpoint: `127.0.0.1:${grpcPort}`,
    victoriaLogsUrl,
    victoriaMetricsUrl,
    lifecycleFile,
    dir,
    collectorLog: join(dir, 'otelcol.log'),
    victoriaLogsLog: join(dir, 'victoria-logs.log'),
    victoriaMetricsLog: join(dir, 'victoria-metrics.log'),
    stop,
    collector: {
      stop: async (signal) => running.col && (await stopProcess(running.col, signal)),
      start: startCollector,
      pause: () => sendSignal(running.col, 'SIGSTOP'),
      resume: () => sendSignal(running.col, 'SIGCONT'),
    },
    victoriaLogs: {
      stop: async (signal) => running.vl && (await stopProcess(running.vl, signal)),
      start: startVictoriaLogs,
      pause: () => sendSignal(running.vl, 'SIGSTOP'),
      resume: () => sendSignal(running.vl, 'SIGCONT'),
    },
    victoriaMetrics: {
      stop: async (signal) => running.vm && (await stopProcess(running.vm, signal)),
      start: startVictoriaMetrics,
      pause: () => sendSignal(running.vm, 'SIGSTOP'),
      resume: () => sendSignal(running.vm, 'SIGCONT'),
    },
  };
}

// ----------------------------------------------------------------- VictoriaLogs

/**
 * One log entry as VictoriaLogs returns it. VictoriaLogs flattens OTLP records:
 *  - body → `_msg`, timestamp → `_time`
 *  - event name → `event_name` (also a stream field)
 *  - severity → `severity_number` (a string, e.g. "9") and `severity_text`
 *    (derived from the number when the record has none, e.g. "Info")
 *  - trace/span ids → `trace_id`, `span_id` (lowercase hex)
 *  - record attributes → their own keys (`call.id`, `log.key`, ...)
 *  - resource attributes → their own keys too (`service.name`, ...) and they
 *    form the stream (`_stream`, `_stream_id`)
 *  - scope → `scope.name`, `scope.version`
 * Every value is a string.
 */
export type VlEntry = Record<string, string>;

/** Runs a LogsQL query (GET /select/logsql/query) and returns the entries. */
export async function queryVictoriaLogs(baseUrl: string, query: string, limit = 1000): Promise<VlEntry[]> {
  const url = new URL('/select/logsql/query', baseUrl);
  url.searchParams.set('query', query);
  url.searchParams.set('limit', String(limit));
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`VictoriaLogs query ${JSON.stringify(query)} failed: HTTP ${res.status}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as VlEntry);
}

/** Polls a query until `done(entries)` holds or the deadline passes (then throws with the last result). */
export async function waitForVictoriaLogs(baseUrl: string, query: string, done: (entries: VlEntry[]) => boolean, timeoutMs = 20_000, limit = 1000): Promise<VlEntry[]> {
  const deadline = Date.now() + timeoutMs;
  let entries: VlEntry[] = [];
  for (;;) {
    entries = await queryVictoriaLogs(baseUrl, query, limit);
    if (done(entries)) return entries;
    if (Date.now() > deadline) {
      throw new Error(`VictoriaLogs query ${JSON.stringify(query)}: condition not met after ${timeoutMs} ms; last result:\n${JSON.stringify(entries, null, 2)}`);
    }
    await sleep(250);
  }
}

// -------------------------------------------------------------- VictoriaMetrics

/** One series of an instant query: its labels and its value at the query time. */
export interface VmSample {
  labels: Record<string, string>;
  value: number;
}

/** Runs a MetricsQL instant query (GET /api/v1/query) and returns the series. */
export async function queryVictoriaMetrics(baseUrl: string, query: string): Promise<VmSample[]> {
  const url = new URL('/api/v1/query', baseUrl);
  url.searchParams.set('query', query);
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`VictoriaMetrics query ${JSON.stringify(query)} failed: HTTP ${res.status}: ${text}`);
  const body = JSON.parse(text) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** Polls an instant query until `done(samples)` holds or the deadline passes (then throws with the last result). */
export async function waitForVictoriaMetrics(baseUrl: string, query: string, done: (samples: VmSample[]) => boolean, timeoutMs = 20_000): Promise<VmSample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const samples = await queryVictoriaMetrics(baseUrl, query);
    if (done(samples)) return samples;
    if (Date.now() > deadline) {
      throw new Error(`VictoriaMetrics query ${JSON.stringify(query)}: condition not met after ${timeoutMs} ms; last result:\n${JSON.stringify(samples, null, 2)}`);
    }
    await sleep(250);
  }
}

// ------------------------------------------------------------ lifecycle file

/** One record of the lifecycle file, flattened from OTLP/JSON. */
export type LifecycleRecord = FlatLogRecord;

/** Parses the lifecycle JSON-lines text (one OTLP/JSON ExportLogsServiceRequest per line). */
export function parseLifecycleLines(text: string): LifecycleRecord[] {
  const records: LifecycleRecord[] = [];
  const lines = text.split('\n');
  // The last element is '' when the text ends with a newline, else a line
  // still being written: skip it either way.
  lines.pop();
  for (const line of lines) {
    if (line.trim() === '') continue;
    records.push(...flattenLogs(JSON.parse(line) as OtlpLogsRequest));
  }
  return records;
}

/** All records in the lifecycle file and its rotated backups (oldest backups first). */
export function readLifecycleFile(file: string): LifecycleRecord[] {
  const dir = dirname(file);
  if (!existsSync(dir)) return [];
  const base = file.slice(dir.length + 1);
  const stem = base.replace(/\.[^.]*$/, '');
  // lumberjack names backups `<stem>-<timestamp><ext>`.
  const backups = readdirSync(dir)
    .filter((f) => f !== base && f.startsWith(`${stem}-`))
    .sort();
  const files = [...backups.map((f) => join(dir, f)), ...(existsSync(file) ? [file] : [])];
  return files.flatMap((f) => parseLifecycleLines(readFileSync(f, 'utf8')));
}

/** Polls the lifecycle file until `done(records)` holds or the deadline passes. */
export async function waitForLifecycle(file: string, done: (records: LifecycleRecord[]) => boolean, timeoutMs = 20_000): Promise<LifecycleRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = readLifecycleFile(file);
    if (done(records)) return records;
    if (Date.now() > deadline) {
      throw new Error(`lifecycle file ${file}: condition not met after ${timeoutMs} ms; records:\n${JSON.stringify(records, null, 2)}`);
    }
    await sleep(250);
  }
}

// ------------------------------------------------------------------ the UI

/** The call-lifecycle macro event keys (the collector's filter/lifecycle keeps these). */
export const LIFECYCLE_EVENTS = ['BOOT', 'CALL_START', 'CALL_END', 'REALTIME', 'CREATE_APPT', 'DSP', 'WEBHOOK_CLOSE', 'SERVER_ERROR'] as const;

/** The page a person reads to see their calls; its code blocks are the queries the tests run. */
export const SEE_YOUR_CALLS = join(ROOT, 'docs', 'see-your-calls.md');

/** The text of the first ```LANG block of docs/see-your-calls.md (the lead copies these blocks into the README). */
function documentedQuery(lang: 'logsql' | 'metricsql'): string {
  const text = readFileSync(SEE_YOUR_CALLS, 'utf8');
  const match = new RegExp(`\`\`\`${lang}\\n(.+)\\n\`\`\``).exec(text);
  if (match === null) throw new Error(`${SEE_YOUR_CALLS}: no \`\`\`${lang} block`);
  return match[1]!;
}

/**
 * LogsQL for one call's lifecycle: the query docs/see-your-calls.md gives a person, so the browser
 * test checks what the docs say. Its `call.id:="…"` is LogsQL's exact filter: the whole value, so
 * `call-1` does not match `call-1-retry` (a phrase filter, `call.id:"call-1"`, would).
 */
export function callLifecycleQuery(callId: string): string {
  return documentedQuery('logsql').replaceAll('CALL_ID', callId);
}

/** MetricsQL graphing the records the policy passed and dropped, by reason, from docs/see-your-calls.md. */
export function policyRecordsQuery(): string {
  return documentedQuery('metricsql');
}

/** vmui's relative time ranges (its preset ids are the titles, e.g. "Last 1 hour" → last_1_hour). */
const VMUI_RANGES = {
  '5m': 'last_5_minutes',
  '15m': 'last_15_minutes',
  '30m': 'last_30_minutes',
  '1h': 'last_1_hour',
  '3h': 'last_3_hours',
  '6h': 'last_6_hours',
  '12h': 'last_12_hours',
  '24h': 'last_24_hours',
  '2d': 'last_2_days',
  '7d': 'last_7_days',
  '30d': 'last_30_days',
} as const;

/**
 * URL of VictoriaLogs' built-in UI (vmui) running `query` over the last
 * `range` (one of vmui's presets), shown in `view` (json, table or group).
 * vmui runs the query from the URL as soon as the page loads.
 */
export function vmuiUrl(victoriaLogsUrl: string, query: string, opts: { view?: 'json' | 'table' | 'group'; range?: keyof typeof VMUI_RANGES } = {}): string {
  const range = opts.range ?? '24h';
  const params = new URLSearchParams({ query, 'g0.range_input': range, 'g0.relative_time': VMUI_RANGES[range] });
  if (opts.view !== undefined && opts.view !== 'group') params.set('view', opts.view);
  return `${victoriaLogsUrl}/select/vmui/#/?${params.toString()}`;
}

/**
 * URL of VictoriaMetrics' built-in UI (vmui) graphing `query` over the last `range`, with a
 * `step` (e.g. "1s") fine enough for a short run. vmui runs the query as soon as the page loads.
 */
export function vmuiGraphUrl(victoriaMetricsUrl: string, query: string, opts: { range?: keyof typeof VMUI_RANGES; step?: string } = {}): string {
  const range = opts.range ?? '1h';
  const params = new URLSearchParams({ 'g0.expr': query, 'g0.range_input': range, 'g0.relative_time': VMUI_RANGES[range], 'g0.tab': '0' });
  if (opts.step !== undefined) params.set('g0.step_input', opts.step);
  return `${victoriaMetricsUrl}/vmui/#/?${params.toString()}`;
}
