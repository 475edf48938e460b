import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The local OTLP sink: a node:http server on 127.0.0.1 in a child process (so its work is not
 * counted as the exporter's CPU) that counts the request body bytes POSTed to /v1/logs, discards
 * them and answers 200 with an empty body (an empty ExportLogsServiceResponse).
 */
export interface SinkCounts {
  bytes: number;
  requests: number;
}

export interface Sink {
  url: string;
  counts(): Promise<SinkCounts>;
  close(): void;
}

export async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${ready.port}/v1/logs`,
    async counts() {
      child.send('counts');
      const [counts] = (await once(child, 'message')) as [SinkCounts];
      return counts;
    },
    close: () => child.kill(),
  };
}

function serve(): void {
  const counts: SinkCounts = { bytes: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    const counted = req.url === '/v1/logs';
    req.on('data', (chunk: Buffer) => {
      if (counted) counts.bytes += chunk.length;
    });
    req.on('end', () => {
      if (counted) counts.requests++;
      res.writeHead(counted ? 200 : 404, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('sink: no port');
    process.send!({ port: address.port });
  });
  process.on('message', () => process.send!({ ...counts }));
  process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--serve')) serve();
