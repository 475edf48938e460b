/**
 * Run by retryBuffer.test.ts in a child process with --expose-gc: ERRORs with 1 MB bodies while the
 * collector is unreachable, so they wait in the retry buffer; prints the heap they cost as JSON.
 * Not a test file itself.
 */
import { ExportResultCode } from '@opentelemetry/core';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MACRO_EVENTS } from '../../src/config/defaults.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { logPolicyProcessors } from '../../src/sdk/logExporters.ts';
import { RetryingExporter } from '../../src/pipeline/export/RetryingExporter.ts';

const gc = (globalThis as { gc?: () => void }).gc!;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const N = Number(process.argv[2] ?? 300);
const MB = 1_000_000;
const bigBody = (tag: string, i: number) => `${tag} ${i} gateway failed: `.padEnd(MB, 'abcdefgh');

/** The collector is down: every export fails as a refused connection does. */
const down: LogRecordExporter = {
  export: (_records, done) => setImmediate(() => done({ code: ExportResultCode.FAILED, error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

// 1. The package's pipeline, redaction off (so nothing else makes new body strings), distinct keys so none is a repeat.
const [policy] = logPolicyProcessors({ config: loadPolicyConfig({ LOG_POLICY_MODE: 'production', LOG_POLICY_REDACT: 'off', LOG_POLICY_MAX_KEYS: '100000' }), exporter: down });
const provider = new LoggerProvider({ processors: [policy] });
const app = provider.getLogger('server.app');
app.emit({ severityNumber: 17, body: bigBody('warm', 0), attributes: { 'log.key': 'WARM' } });
await provider.forceFlush();
const bufferedBefore = policy.stats().export!.retryBuffered;
const before = heap();
for (let i = 0; i < N; i++) {
  app.emit({ severityNumber: 17, body: bigBody('E', i), attributes: { 'log.key': `E${i}` } });
  if (i % 100 === 99) await provider.forceFlush();
}
await provider.forceFlush();
const pipelineBytes = heap() - before;
const buffered = policy.stats().export!.retryBuffered - bufferedBefore;

// 2. The retry buffer alone, fed records whose bodies are slices of 1 MB strings (as any processor before it may make).
const retrying = new RetryingExporter(down, { bufferSize: 100_000, macroEvents: new Set(MACRO_EVENTS) });
const direct = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: retrying })] });
const raw = direct.getLogger('server.app');
const before2 = heap();
for (let i = 0; i < N; i++) {
  raw.emit({ severityNumber: 17, body: bigBody('S', i).slice(0, 16_384), attributes: { 'call.id': bigBody('C', i).slice(0, 4_096) } });
  if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
}
await new Promise((resolve) => setTimeout(resolve, 50));
const exporterBytes = heap() - before2;

console.log(JSON.stringify({ records: N, buffered, pipelineBytes, exporterBuffered: retrying.buffered, exporterBytes }));
process.exit(0);
