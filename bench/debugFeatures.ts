/**
 * What the flight recorder costs (npx node bench/debugFeatures.ts): the same logging with
 * LOG_POLICY_RECORDER off and at 200, in alternating rounds in one process, medians in ns/op.
 * Self-contained (plain loops) until it moves into the bench harness.
 */
import { logs, type Logger, type LoggerProvider as ApiLoggerProvider, SeverityNumber } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { callStorage } from '../src/call/context.ts';
import { loadPolicyConfig } from '../src/config/load.ts';
import { getLogger } from '../src/logger/getLogger.ts';
import { publishGate, type Gate } from '../src/logger/policyGate.ts';
import { LogPolicyProcessor } from '../src/processor/LogPolicyProcessor.ts';

class DiscardExporter implements LogRecordExporter {
  export(_records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    done({ code: 0 } as ExportResult);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The global logs API keeps its first provider: point it at each configuration's own (SDK loggers cached). */
class Switchable implements ApiLoggerProvider {
  private loggers = new Map<string, Logger>();
  private provider: LoggerProvider | undefined;
  set current(provider: LoggerProvider) {
    this.provider = provider;
    this.loggers = new Map();
  }
  getLogger(name: string): Logger {
    const sdk = () => this.loggers.get(name) ?? this.loggers.set(name, this.provider!.getLogger(name)).get(name)!;
    return { emit: (r) => sdk().emit(r), enabled: (o) => sdk().enabled(o) };
  }
}
const switchable = new Switchable();
logs.setGlobalLoggerProvider(switchable);

function setup(env: Record<string, string>) {
  const processor = new LogPolicyProcessor(new BatchLogRecordProcessor({ exporter: new DiscardExporter(), maxQueueSize: 100_000 }), { config: loadPolicyConfig(env) });
  return { processor, provider: new LoggerProvider({ processors: [processor] }) };
}

const OPS = 20_000;
const ROUNDS = 15;
type Case = (log: ReturnType<typeof getLogger>, raw: Logger) => void;

const cases: Record<string, Case> = {
  'getLogger().debug() outside calls': (log) => {
    for (let i = 0; i < OPS; i++) log.debug('vad frame', { i });
  },
  'getLogger().debug() inside a call': (log) => {
    callStorage.run('bench-call', () => {
      for (let i = 0; i < OPS; i++) log.debug('vad frame', { i });
    });
  },
  'Logger.emit(DEBUG) inside a call': (_, raw) => {
    callStorage.run('bench-call', () => {
      for (let i = 0; i < OPS; i++) raw.emit({ severityNumber: SeverityNumber.DEBUG, body: 'vad frame', attributes: { i } });
    });
  },
  'getLogger().info() passing, inside a call': (log) => {
    callStorage.run('bench-call-info', () => {
      for (let i = 0; i < OPS; i++) log.warn('tx slow', { i });
    });
  },
};

const configs = { off: {}, 'recorder=200': { LOG_POLICY_RECORDER: '200' } } as const;
const samples = new Map<string, number[]>();
const pipelines = Object.entries(configs).map(([name, env]) => ({ name, ...setup(env) }));

for (let round = 0; round < ROUNDS; round++) {
  for (const { name, processor, provider } of round % 2 === 0 ? pipelines : [...pipelines].reverse()) {
    switchable.current = provider;
    // Rebind the facades as this processor's constructor did (only the newest processor's gate is published).
    const inner = processor as unknown as { gate: Gate; debug: { buildsInCalls: boolean } };
    publishGate(processor, inner.debug.buildsInCalls ? undefined : inner.gate);
    const log = getLogger('server.app');
    const raw = provider.getLogger('server.app');
    for (const [label, run] of Object.entries(cases)) {
      const start = performance.now();
      run(log, raw);
      const ns = ((performance.now() - start) * 1e6) / OPS;
      const key = `${label}|${name}`;
      samples.set(key, [...(samples.get(key) ?? []), ns]);
    }
    await provider.forceFlush();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`| case | off (ns/op) | recorder=200 (ns/op) |\n|---|---:|---:|`);
for (const label of Object.keys(cases)) {
  const off = median(samples.get(`${label}|off`)!);
  const on = median(samples.get(`${label}|recorder=200`)!);
  console.log(`| ${label} | ${off.toFixed(0)} | ${on.toFixed(0)} |`);
}
for (const { name, processor } of pipelines) console.log(name, JSON.stringify(processor.stats().recorder ?? null));
