import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One log record as it arrived, flattened with its resource and scope. */
export interface SinkRecord {
  resource: Record<string, unknown>;
  scope: string;
  severityNumber: number | undefined;
  severityText: string | undefined;
  body: unknown;
  attributes: Record<string, unknown>;
  eventName: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
}

export interface SinkRequest {
  path: string;
  contentType: string;
  bytes: number;
}

interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpLogsRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: Array<{
      scope?: { name?: string };
      logRecords?: Array<{
        severityNumber?: number;
        severityText?: string;
        body?: OtlpAnyValue;
        attributes?: OtlpKeyValue[];
        eventName?: string;
        traceId?: string;
        spanId?: string;
      }>;
    }>;
  }>;
}

/** OTLP/JSON AnyValue → a plain JS value (int64 as number: tests use small ones). */
function plain(value: OtlpAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plain);
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values);
  return undefined;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = plain(value);
  return out;
}

function flatten(request: OtlpLogsRequest): SinkRecord[] {
  const out: SinkRecord[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributesOf(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        out.push({
          resource,
          scope: sl.scope?.name ?? '',
          severityNumber: r.severityNumber,
          severityText: r.severityText,
          body: plain(r.body),
          attributes: attributesOf(r.attributes),
          eventName: r.eventName === '' ? undefined : r.eventName,
          traceId: r.traceId === '' ? undefined : r.traceId,
          spanId: r.spanId === '' ? undefined : r.spanId,
        });
      }
    }
  }
  return out;
}

export interface OtlpSink {
  /** Base URL, as for OTEL_EXPORTER_OTLP_ENDPOINT: the exporters append `/v1/logs` etc. */
  readonly url: string;
  /** Every log record received on `/v1/logs` (OTLP/JSON), in arrival order. */
  records(): SinkRecord[];
  /** Every request, whatever its path (traces and metrics are accepted and not decoded). */
  requests(): SinkRequest[];
  /** Resolves with the records once `predicate` holds; rejects after `timeoutMs` (a hang guard, not a timing assertion). */
  waitFor(predicate: (records: SinkRecord[]) => boolean, timeoutMs?: number): Promise<SinkRecord[]>;
  close(): Promise<void>;
}

/**
 * A local OTLP/HTTP receiver on 127.0.0.1 and a free port. Decodes OTLP/JSON log requests (what
 * `@opentelemetry/exporter-logs-otlp-http` sends); answers every other request with an empty
 * success so trace and metric exporters do not retry.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  const received: SinkRecord[] = [];
  const requests: SinkRequest[] = [];
  const waiters = new Set<() => void>();

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const contentType = req.headers['content-type'] ?? '';
    requests.push({ path, contentType, bytes: body.length });
    const json = contentType.includes('json');
    if (path === '/v1/logs' && json) {
      try {
        received.push(...flatten(JSON.parse(body.toString('utf8')) as OtlpLogsRequest));
      } catch {
        res.writeHead(400).end();
        return;
      }
    }
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    res.end(json ? '{}' : undefined);
    for (const wake of waiters) wake();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    records: () => [...received],
    requests: () => [...requests],
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(received)) return;
          cleanup();
          resolve([...received]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`OTLP sink: condition not met after ${timeoutMs} ms; ${received.length} records received: ${JSON.stringify(received.map((r) => r.body))}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
