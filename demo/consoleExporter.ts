import { styleText } from 'node:util';
import type { AnyValue } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** Attributes every line already shows in its own column (or that only repeat the body). */
const SHOWN = new Set(['call.id', 'log.key', 'exception.stacktrace']);

type Style = Parameters<typeof styleText>[0];
const LEVEL_STYLE: Record<string, Style> = { FATAL: ['bold', 'red'], ERROR: 'red', WARN: 'yellow', INFO: 'green', DEBUG: 'gray', TRACE: 'gray' };

/** 154_321 ms → "+02:34.321": virtual time since the demo started. */
export function clockLabel(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  return `+${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(total % 1000).padStart(3, '0')}`;
}

function valueText(value: AnyValue): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** One readable line: time, level, call id, logger, body, then the notable attributes. */
export function formatRecord(record: ReadableLogRecord, virtualMs: number, color = false): string {
  const style = (format: Style, text: string) => (color ? styleText(format, text, { validateStream: false }) : text);
  const level = (record.severityText ?? 'INFO').toUpperCase();
  const callId = record.attributes['call.id'];
  const attributes = Object.entries(record.attributes)
    .filter(([name, value]) => !SHOWN.has(name) && value !== undefined)
    .map(([name, value]) => `${name}=${valueText(value as AnyValue)}`);
  const trace = record.spanContext?.traceId;
  if (trace !== undefined) attributes.push(`trace_id=${trace.slice(0, 8)}…`);
  return [
    style('dim', clockLabel(virtualMs)),
    style(LEVEL_STYLE[level] ?? 'white', level.padEnd(5)),
    (typeof callId === 'string' ? callId : '-').padEnd(7),
    style('cyan', record.instrumentationScope.name.padEnd(25)),
    typeof record.body === 'string' ? record.body : valueText(record.body ?? ''),
    attributes.length > 0 ? style('dim', attributes.join(' ')) : '',
  ]
    .join(' ')
    .trimEnd();
}

/**
 * Prints each record it is given as one line. Behind a SimpleLogRecordProcessor, export runs
 * while the record is emitted, so `now()` (the virtual clock) is the record's call time.
 */
export class ConsoleLogExporter implements LogRecordExporter {
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly color: boolean;

  constructor(options: { write: (line: string) => void; now: () => number; color?: boolean }) {
    this.write = options.write;
    this.now = options.now;
    this.color = options.color ?? false;
  }

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    for (const record of records) this.write(formatRecord(record, this.now(), this.color));
    resultCallback({ code: 0 /* ExportResultCode.SUCCESS */ });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
