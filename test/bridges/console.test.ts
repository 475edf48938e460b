import { context, SeverityNumber } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing } from '@opentelemetry/core';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from '../../src/bridges/console.ts';
import { startCall } from '../../src/api/callScope.ts';
import { pipeline } from '../helpers/pipeline.ts';

const METHODS = ['debug', 'log', 'info', 'warn', 'error'] as const;
type Method = (typeof METHODS)[number];

describe('captureConsole', () => {
  const saved = new Map<Method, (...args: unknown[]) => void>();
  /** Stand-ins for the real console, so the test output stays clean and prints can be counted. */
  const real = Object.fromEntries(METHODS.map((m) => [m, vi.fn<(...args: unknown[]) => void>()])) as Record<Method, ReturnType<typeof vi.fn<(...args: unknown[]) => void>>>;
  let restore: (() => void) | undefined;

  beforeEach(() => {
    for (const m of METHODS) {
      saved.set(m, console[m]);
      real[m].mockReset();
      console[m] = real[m];
    }
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
    for (const m of METHODS) console[m] = saved.get(m)!;
  });

  it('turns console calls into records of the console logger, formatted like util.format, through the policy', () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production' }, { global: true });
    restore = captureConsole();
    console.log('[TX_SLOW] queue=%d', 12, { worker: 'a' });
    console.debug('[TX_SLOW] a debug line production drops');
    console.info('plain info');
    console.warn('careful');
    console.error('failed:', new Error('boom'));

    expect(p.records().map((r) => [r.instrumentationScope.name, r.severityNumber, r.body])).toEqual([
      ['console', SeverityNumber.INFO, "[TX_SLOW] queue=12 { worker: 'a' }"],
      ['console', SeverityNumber.INFO, 'plain info'],
      ['console', SeverityNumber.WARN, 'careful'],
      ['console', SeverityNumber.ERROR, expect.stringContaining('failed: Error: boom')],
    ]);
    expect(p.records()[3]!.attributes['exception.message']).toBe('boom');
    expect(p.keys('TX_SLOW')).toHaveLength(1);
    // By default only the stderr methods still print: what matters is never hidden.
    expect(real.warn.mock.calls).toEqual([['careful']]);
    expect(real.error).toHaveBeenCalledTimes(1);
    for (const m of ['debug', 'log', 'info'] as const) expect(real[m]).not.toHaveBeenCalled();
  });

  it.each([
    ['errors', ['warn', 'error']],
    ['all', ['debug', 'log', 'info', 'warn', 'error']],
    [true, ['debug', 'log', 'info', 'warn', 'error']],
    ['none', []],
    [false, []],
  ] as const)('echo %s prints %j to the real console too, and records every call', (echo, printed) => {
    const p = pipeline({ LOG_POLICY_MODE: 'development' }, { global: true });
    restore = captureConsole({ echo });
    for (const m of METHODS) console[m](`via ${m}`);
    expect(p.bodies()).toEqual(METHODS.map((m) => `via ${m}`));
    expect(METHODS.filter((m) => real[m].mock.calls.length > 0)).toEqual(printed);
    for (const m of printed) expect(real[m]).toHaveBeenCalledWith(`via ${m}`);
  });

  it("echoes before it records, so a crash or exit in the pipeline's wake loses nothing from the terminal", () => {
    const order: string[] = [];
    real.error.mockImplementation(() => void order.push('printed'));
    const noting = (inner: LogRecordExporter): LogRecordExporter => ({
      export(records, done) {
        order.push('recorded');
        inner.export(records, done);
      },
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush(),
    });
    pipeline({}, { global: true, wrapExporter: noting });
    restore = captureConsole();
    console.error('fatal');
    expect(order).toEqual(['printed', 'recorded']);
  });

  it('keeps its state on the console object, not in the module: a second copy of the module sees the active capture', async () => {
    pipeline({}, { global: true });
    restore = captureConsole();
    // A fresh module instance, as a CommonJS and an ESM copy of the package would be.
    vi.resetModules();
    const copy = await import('../../src/bridges/console.ts');
    expect(copy.captureConsole).not.toBe(captureConsole);
    expect(copy.captureConsole()).toBe(restore);
  });

  it('applies per-logger levels to the console logger', () => {
    const p = pipeline({ LOG_POLICY_MODE: 'development', LOG_POLICY_LEVELS: 'console=warn' }, { global: true });
    restore = captureConsole();
    console.info('quiet');
    console.warn('loud');
    expect(p.bodies()).toEqual(['loud']);
  });

  it('gives records inside a call scope the call id', () => {
    const p = pipeline({}, { global: true });
    restore = captureConsole();
    const call = startCall('call-console-1');
    call.run(() => console.log('inside'));
    call.end();
    expect(p.records().find((r) => r.body === 'inside')!.attributes['call.id']).toBe('call-console-1');
  });

  it('still prints to the real console when asked', () => {
    const p = pipeline({}, { global: true });
    restore = captureConsole({ echo: true });
    console.warn('both %s', 'ways');
    expect(p.bodies()).toEqual(['both ways']);
    expect(real.warn).toHaveBeenCalledWith('both %s', 'ways');
  });

  it('does not loop when the exporter itself writes to the console', () => {
    const loud = (inner: LogRecordExporter): LogRecordExporter => ({
      export(records, done) {
        console.log(`exporting ${records.length}`);
        inner.export(records, done);
      },
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush(),
    });
    const p = pipeline({}, { global: true, wrapExporter: loud });
    restore = captureConsole();
    console.log('one');
    console.log('two');
    expect(p.bodies()).toEqual(['one', 'two']);
    expect(real.log.mock.calls).toEqual([['exporting 1'], ['exporting 1']]);
  });

  it('sends console calls made from an export (tracing suppressed, as exporters run) to the real console', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const p = pipeline({}, { global: true });
      restore = captureConsole();
      await context.with(suppressTracing(context.active()), async () => {
        await Promise.resolve();
        console.error('export failed, retrying');
      });
      expect(p.bodies()).toEqual([]);
      expect(real.error).toHaveBeenCalledWith('export failed, retrying');
    } finally {
      context.disable();
    }
  });

  it('restores the console, and a second capture while one is active shares it', () => {
    const p = pipeline({}, { global: true });
    restore = captureConsole();
    expect(captureConsole()).toBe(restore);
    restore();
    restore = undefined;
    for (const m of METHODS) expect(console[m]).toBe(real[m]);
    console.log('after restore');
    expect(p.bodies()).toEqual([]);
    expect(real.log).toHaveBeenCalledWith('after restore');
  });

  it('never throws into the app: a failing pipeline sends the line to the real console', () => {
    pipeline({}, { global: true });
    restore = captureConsole();
    const hostile = {
      toString: () => {
        throw new Error('no');
      },
      [Symbol.for('nodejs.util.inspect.custom')]: () => {
        throw new Error('no');
      },
    };
    expect(() => console.log(hostile)).not.toThrow();
    expect(real.log).toHaveBeenCalledWith(hostile);
  });
});
