import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRecord {
  body?: { stringValue?: string; bytesValue?: string; kvlistValue?: unknown };
  attributes?: { key: string; value: Record<string, unknown> }[];
  severityNumber?: number;
  eventName?: string;
}

/** A loopback OTLP/HTTP JSON endpoint that keeps what it receives; `status` decides the reply. */
export async function otlpSink() {
  const records: SinkRecord[] = [];
  const requests: number[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      requests.push(raw.length);
      if (status === 200) {
        const body = JSON.parse(raw.toString('utf8')) as { resourceLogs: { scopeLogs: { logRecords: SinkRecord[] }[] }[] };
        for (const rl of body.resourceLogs) for (const sl of rl.scopeLogs) records.push(...sl.logRecords);
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1/logs`,
    records,
    requests,
    setStatus(code: number) {
      status = code;
    },
    attr(record: SinkRecord, key: string) {
      return record.attributes?.find((a) => a.key === key)?.value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
