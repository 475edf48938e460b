import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flattenLogs, type FlatLogRecord, type OtlpLogsRequest } from './otlpJson.ts';

/**
 * An OTLP/HTTP (JSON) logs receiver on 127.0.0.1 that refuses request bodies over `maxBytes` with
 * `status`, as the collector's `max_request_body_size` does (it answers 400). Keeps what it took.
 */
export async function startLimitedReceiver(maxBytes: number, status = 400) {
  const received: FlatLogRecord[] = [];
  const sizes: { bytes: number; status: number }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length > maxBytes) {
        sizes.push({ bytes: body.length, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end('http: request body too large');
        return;
      }
      sizes.push({ bytes: body.length, status: 200 });
      received.push(...flattenLogs(JSON.parse(body.toString('utf8')) as OtlpLogsRequest));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/logs`,
    received,
    /** Every request: its body's bytes and the status it got. */
    sizes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
