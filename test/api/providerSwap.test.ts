import { logs, SeverityNumber as S } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { startCall } from '../../src/api/callScope.ts';
import { getLogger } from '../../src/api/getLogger.ts';
import { loadPolicyConfig } from '../../src/config/loadPolicyConfig.ts';
import { LogPolicyProcessor } from '../../src/pipeline/LogPolicyProcessor.ts';

/** Keeps what it was given across shutdown (the SDK's in-memory exporter forgets on shutdown). */
class KeepingExporter implements LogRecordExporter {
  readonly records: ReadableLogRecord[] = [];
  export(records: ReadableLogRecord[], done: (result: { code: ExportResultCode }) => void): void {
    this.records.push(...records);
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
  getFinishedLogRecords(): ReadableLogRecord[] {
    return this.records;
  }
}

/** A provider with the policy of `env` in front of a keeping exporter, registered nowhere. */
function policyProvider(env: Record<string, string>) {
  const exporter = new KeepingExporter();
  const processor = new LogPolicyProcessor(new SimpleLogRecordProcessor({ exporter }), { config: loadPolicyConfig(env) });
  const provider = new LoggerProvider({ processors: [processor] });
  const bodies = () => exporter.getFinishedLogRecords().map((r) => String(r.body));
  const events = () =>
    exporter
      .getFinishedLogRecords()
      .map((r) => r.eventName)
      .filter((e) => e !== undefined);
  return { provider, processor, bodies, events };
}

/** The plain OpenTelemetry way of replacing the global provider, as its own test utilities do. */
function register(provider: LoggerProvider): void {
  logs.disable();
  logs.setGlobalLoggerProvider(provider);
}

afterEach(() => {
  logs.disable();
});

describe('facades and call lifecycle follow the provider registered now', () => {
  test('a facade taken before logs.disable() + a new provider emits to the new one, with the new policy', () => {
    const log = getLogger('server.app'); // taken at "module load", before any provider
    const a = policyProvider({});
    register(a.provider);
    log.debug('A: debug is off in production');
    log.info('A: info');
    const b = policyProvider({ DEBUG: '0' });
    register(b.provider);
    log.debug('B: debug is on in development');
    log.info('B: info');
    expect(a.bodies()).toEqual(['A: info']);
    expect(b.bodies()).toEqual(['B: debug is on in development', 'B: info']);
    expect(log.isEnabled('debug')).toBe(true);
  });

  test('a level bound to a no-op under A is rebound under B without any other call in between', () => {
    const log = getLogger('server.rebind');
    const a = policyProvider({});
    register(a.provider);
    expect(log.isEnabled('debug')).toBe(false);
    log.debug('dropped: never built');
    expect(a.processor.stats().seen).toBe(0);
    const b = policyProvider({ DEBUG: '0' });
    register(b.provider);
    log.debug('built under B'); // the first call after the swap is the disabled method itself
    expect(b.bodies()).toEqual(['built under B']);
  });

  test('CALL_START and CALL_END go to the provider registered when the call started, escalation included', () => {
    const a = policyProvider({});
    register(a.provider);
    const call = startCall('CA-swap', { 'log.policy.mode': 'development' });
    const b = policyProvider({});
    register(b.provider);
    call.run(() => getLogger('server.app').warn('inside, after the swap'));
    call.end();
    expect(a.events()).toEqual(['CALL_START', 'CALL_END']);
    expect(b.events()).toEqual([]);
    expect(b.bodies()).toEqual(['inside, after the swap']); // the facade follows the registered one
    expect(a.processor.stats().callsEscalated).toBe(0); // A saw the escalated start and its end
  });

  test('after a NodeSDK shutdown and a new NodeSDK, facades and calls reach the new SDK', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    const log = getLogger('server.sdk');
    const first = new KeepingExporter();
    const second = new KeepingExporter();
    const sdkOf = (exporter: KeepingExporter, env: Record<string, string>) =>
      new NodeSDK({ logRecordProcessors: [new LogPolicyProcessor(new SimpleLogRecordProcessor({ exporter }), { config: loadPolicyConfig(env) })] });
    const sdkA = sdkOf(first, {});
    sdkA.start();
    log.debug('A drops this');
    startCall('CA-1').end();
    await (logs.getLoggerProvider() as LoggerProvider).forceFlush();
    await sdkA.shutdown();
    logs.disable(); // NodeSDK.shutdown() leaves its provider registered; a new SDK needs the slot free
    const sdkB = sdkOf(second, { DEBUG: '0' });
    sdkB.start();
    log.debug('B keeps this');
    startCall('CA-2').end();
    await (logs.getLoggerProvider() as LoggerProvider).forceFlush();
    await sdkB.shutdown();
    vi.unstubAllEnvs();
    const events = (e: KeepingExporter) => e.getFinishedLogRecords().map((r) => `${r.eventName ?? r.body}:${String(r.attributes['call.id'] ?? '')}`);
    expect(events(first)).toEqual(['CALL_START:CA-1', 'CALL_END:CA-1']);
    expect(events(second)).toEqual(['B keeps this:', 'CALL_START:CA-2', 'CALL_END:CA-2']);
  });
});

describe('two providers with different policies in one process', () => {
  test('each gets what its own policy allows from the facades that emit to it', () => {
    const prod = policyProvider({});
    const dev = policyProvider({ DEBUG: '0' });
    register(prod.provider);
    const global = getLogger('server.app');
    const devLog = getLogger('server.app', { provider: dev.provider });
    global.debug('global debug');
    devLog.debug('dev debug');
    global.info('global info');
    devLog.info('dev info');
    expect(prod.bodies()).toEqual(['global info']);
    expect(dev.bodies()).toEqual(['dev debug', 'dev info']);
    const devCall = startCall('CA-dev', {}, { provider: dev.provider });
    devCall.end();
    expect(dev.events()).toEqual(['CALL_START', 'CALL_END']);
    expect(prod.events()).toEqual([]);
  });

  test("a second, unrelated policy processor does not change which levels the first one's facades emit", () => {
    const prod = policyProvider({});
    register(prod.provider);
    const log = getLogger('server.crm');
    expect(log.isEnabled(S.DEBUG)).toBe(false);
    const other = policyProvider({ DEBUG: '0' }); // a library's or a test's own pipeline, never registered
    other.processor.stats();
    log.debug('still off');
    log.info('on');
    expect(prod.bodies()).toEqual(['on']);
    expect(log.isEnabled(S.DEBUG)).toBe(false);
    expect(other.bodies()).toEqual([]);
  });

  test('a provider shut down while registered passes nothing, and its facades make no records', async () => {
    const p = policyProvider({ DEBUG: '0' });
    register(p.provider);
    const log = getLogger('server.down');
    log.debug('before');
    await p.provider.shutdown();
    log.debug('after');
    log.error('after');
    expect(p.bodies()).toEqual(['before']);
  });
});
