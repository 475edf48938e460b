// Issue 10's end-to-end check: examples/voice-server.mjs (fastify + @fastify/websocket + ws,
// console.log everywhere, no import of this package), installed beside the packed package and run
// with `node --import otel-log-policy/register` and env only, takes three Twilio-style calls at
// once; the real collector and VictoriaLogs then hold each call's lifecycle under its CallSid.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installPacked, ROOT } from '../helpers/packed.ts';
import { twilioCall } from '../helpers/twilioClient.ts';
import { callLifecycleQuery, freePort, startStack, waitForVictoriaLogs, type Stack, type VlEntry } from './stack.ts';

const SERVICE = 'e2e-voice-server';
const callSids = Array.from({ length: 3 }, () => `CA${randomBytes(16).toString('hex')}`);
let stack: Stack | undefined;
let model: WebSocketServer | undefined;
const byCall: Record<string, VlEntry[]> = {};
let stderr = '';
let exitCode: number | null = null;

/** The realtime model's side, faked: a session, then an audio delta for every few frames it gets. */
async function startModel(): Promise<string> {
  model = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  model.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'session.created' }));
    let frames = 0;
    socket.on('message', () => {
      if (++frames % 10 === 0) socket.send(JSON.stringify({ type: 'response.output_audio.delta', delta: 'AAAA' }));
    });
  });
  await once(model, 'listening');
  return `ws://127.0.0.1:${(model.address() as AddressInfo).port}/v1/realtime`;
}

async function untilListening(port: number): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return;
    } catch {
      if (waited > 30_000) throw new Error(`the voice server did not listen on ${port}: ${stderr}`);
    }
    await sleep(100);
  }
}

beforeAll(async () => {
  const project = installPacked(['fastify@5.12.8', '@fastify/websocket@11.3.7', 'ws@8.23.0']);
  copyFileSync(join(ROOT, 'examples', 'voice-server.mjs'), join(project, 'voice-server.mjs'));
  stack = await startStack();
  const modelUrl = await startModel();
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'otel-log-policy/register', 'voice-server.mjs'], {
    cwd: project,
    // Env only, as a user would: where to send, what to call the service, console capture on.
    env: {
      PATH: process.env['PATH'],
      PORT: String(port),
      HOST: '127.0.0.1',
      MODEL_URL: modelUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl,
      OTEL_SERVICE_NAME: SERVICE,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      LOG_POLICY_CAPTURE_CONSOLE: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(server, 'exit');
  await untilListening(port);
  await Promise.all(callSids.map((callSid) => twilioCall(`ws://127.0.0.1:${port}/media-stream`, { callSid, frames: 50 })));
  // Let the model sockets' close handlers run, then stop the server: register flushes on SIGTERM.
  await sleep(200);
  server.kill('SIGTERM');
  [exitCode] = (await exited) as [number | null];
  for (const callSid of callSids) {
    byCall[callSid] = await waitForVictoriaLogs(
      stack.victoriaLogsUrl,
      `call.id:${JSON.stringify(callSid)} | sort by (_time)`,
      (es) => es.some((e) => e['event_name'] === 'CALL_END') && es.some((e) => e['_msg'] === 'Disconnected from the realtime model'),
    );
  }
}, 300_000);

afterAll(async () => {
  if (model !== undefined) await new Promise((resolve) => model!.close(resolve));
  await stack?.stop();
});

describe('examples/voice-server.mjs under --import otel-log-policy/register, into the collector and VictoriaLogs', () => {
  test("the server ran and stopped cleanly; stderr holds register's one start-up line, which says calls are auto-scoped", () => {
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/^otel-log-policy: .*; console captured, .*; calls auto-scoped on every websocket upgrade; LOG_POLICY_QUIET=1 hides this line$/),
      '',
    ]);
    expect(exitCode).toBe(143);
  });

  test.each(callSids)('%s: CALL_START and CALL_END named by the CallSid, with every record of the call between them', (callSid) => {
    const entries = byCall[callSid]!;
    const messages = entries.map((e) => e['_msg']);
    expect(entries.every((e) => e['service.name'] === SERVICE)).toBe(true);
    expect(entries.filter((e) => e['event_name'] === 'CALL_START')).toHaveLength(1);
    expect(entries.filter((e) => e['event_name'] === 'CALL_END')).toHaveLength(1);
    // Logged before the start message named the call, yet filed under its CallSid.
    for (const line of [
      'Client connected',
      'Connected to the realtime model',
      'Received event: session.created',
      `Incoming stream has started MZ${callSid}`,
      'Mark received end-of-greeting',
      'Stream stopped',
      'Client disconnected.',
      'Disconnected from the realtime model',
    ]) {
      expect(messages).toContain(line);
    }
    const start = entries.find((e) => e['event_name'] === 'CALL_START')!;
    expect(start).toMatchObject({ 'call.named_by': 'twilio', 'call.stream_id': `MZ${callSid}`, 'url.path': '/media-stream' });
    // CALL_START is dated at the connection: nothing of the call is earlier (the same millisecond may be).
    const startedAt = Date.parse(start['_time']!);
    expect(entries.filter((e) => Date.parse(e['_time']!) < startedAt)).toEqual([]);
    const end = entries.find((e) => e['event_name'] === 'CALL_END')!;
    expect(end['ws.close_code']).toBe('1000');
    expect(Number(end['ws.duration_ms'])).toBeGreaterThan(0);
    // Its summary counts every record of the call but the model's close, which came after it
    // (records of one millisecond may sort either way, so this counts rather than looks at positions).
    expect(messages.filter((m) => m === 'Disconnected from the realtime model')).toHaveLength(1);
    expect(Number(end['log.forwarded_count'])).toBe(entries.length - 1);
    expect(Number(end['log.produced_count'])).toBe(Number(end['log.forwarded_count']) + Number(end['log.dropped_count']));
    const endedAt = Date.parse(end['_time']!);
    expect(
      entries
        .filter((e) => Date.parse(e['_time']!) > endedAt)
        .map((e) => e['_msg'])
        .filter((m) => m !== 'Disconnected from the realtime model'),
    ).toEqual([]);
  });

  test('nothing of the server went out without a call but its start-up line', async () => {
    const outside = await waitForVictoriaLogs(stack!.victoriaLogsUrl, `service.name:=${JSON.stringify(SERVICE)} -call.id:*`, (es) => es.length >= 1);
    expect(outside.map((e) => e['_msg'])).toEqual([expect.stringMatching(/^Server is listening on http:\/\/127\.0\.0\.1:\d+$/)]);
  });

  test.each(callSids)("%s: the README's lifecycle query finds the call's CALL_START and CALL_END", async (callSid) => {
    const lifecycle = await waitForVictoriaLogs(stack!.victoriaLogsUrl, callLifecycleQuery(callSid), (es) => es.length >= 2);
    expect(lifecycle.map((e) => e['event_name'])).toEqual(['CALL_START', 'CALL_END']);
  });
});
