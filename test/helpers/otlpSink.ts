import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { flattenLogs, type FlatLogRecord, type OtlpLogsRequest } from './otlpJson.ts';
import { decodeLogsProtobuf } from './otlpProtobuf.ts';

/** One log record as it arrived, flattened with its resource and scope. */
export type SinkRecord = FlatLogRecord;

export interface SinkRequest {
  path: string;
  contentType: string;
  /** As sent (compressed, if it was). */
  bytes: number;
  headers: IncomingHttpHeaders;
}

export interface OtlpSink {
  /** Base URL, as for OTEL_EXPORTER_OTLP_ENDPOINT: the exporters append `/v1/logs` etc. */
  readonly url: string;
  /** Every log record received on `/v1/logs` (OTLP/JSON or protobuf), in arrival order. */
  records(): SinkRecord[];
  /** Every request, whatever its path (traces and metrics are accepted and not decoded). */
  requests(): SinkRequest[];
  /** Resolves with the records once `predicate` holds; rejects after `timeoutMs` (a hang guard, not a timing assertion). */
  waitFor(predicate: (records: SinkRecord[]) => boolean, timeoutMs?: number): Promise<SinkRecord[]>;
  close(): Promise<void>;
}

/**
 * A local OTLP/HTTP receiver on 127.0.0.1 and a free port. Decodes log requests in OTLP/JSON (what
 * `@opentelemetry/exporter-logs-otlp-http` sends) and in protobuf (`-proto`, the default); answers every other request with an empty
 * success so trace and metric exporters do not retry.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  const received: SinkRecord[] = [];
  const requests: SinkRequest[] = [];
  const waiters = new Set<() => void>();

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const contentType = req.headers['content-type'] ?? '';
    requests.push({ path, contentType, bytes: body.length, headers: req.headers });
    const json = contentType.includes('json');
    if (path === '/v1/logs') {
      try {
        const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        received.push(...flattenLogs(json ? (JSON.parse(raw.toString('utf8')) as OtlpLogsRequest) : decodeLogsProtobuf(raw)));
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
