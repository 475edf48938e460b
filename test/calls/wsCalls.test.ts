import { createRequire } from 'node:module';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, SeverityNumber } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableLogRecord as SdkLogRecord } from '@opentelemetry/sdk-logs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { WsCallsInstrumentation } from '../../src/calls/WsCallsInstrumentation.ts';
import type { CallProtocol } from '../../src/calls/protocols.ts';
import { FakeTimers } from '../helpers/fakeTimers.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';
import { twilioCall } from '../helpers/twilioClient.ts';

// The instrumentation patches `ws` when it is required: built first, then ws loaded through
// require (the fixtures' ESM import of ws shares the same class), as under register.
const timers = new FakeTimers();
const acme: CallProtocol = {
  name: 'acme',
  callIdFrom: (m) => ((m as { type?: string }).type === 'hello' ? { id: (m as { session?: unknown }).session } : undefined),
};
const instrumentation = new WsCallsInstrumentation({ paths: ['/media-stream', '/media', '/acme/*'], protocols: [acme], timers, now: () => timers.now });
const WebSocket = createRequire(import.meta.url)('ws') as typeof import('ws').default;
const { startFastifyServer, startModel, startPinnedHandleServer, startWsServer } = await import('../fixtures/voiceServers.ts');
type Server = Awaited<ReturnType<typeof startModel>>;

let p: Pipeline;
let model: Server;
const log = (line: string) => p.logger('voice').emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: line });

const ofCall = (id: string) => p.records().filter((r) => r.attributes['call.id'] === id);
const bodiesOf = (records: SdkLogRecord[]) => records.map((r) => String(r.attributes['log.key'] ?? r.body));
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`still waiting for ${what}`);
    await sleep(10);
  }
}
const ended = (id: string) => ofCall(id).some((r) => r.attributes['log.key'] === 'CALL_END');

beforeAll(async () => {
  model = await startModel();
});
afterAll(async () => {
  await model.close();
  instrumentation.disable();
});

// The third server's socket handle cannot move into the call (see moveHandleHere): its events take
// the switch one by one, and the calls must come out the same.
describe.each([
  ['ws WebSocketServer', startWsServer, true],
  ['fastify + @fastify/websocket', startFastifyServer, true],
  ['ws on a socket whose handle cannot move', startPinnedHandleServer, false],
] as const)('%s: each media stream is a call, named by its Twilio CallSid', (_, start, moves) => {
  let server: Awaited<ReturnType<typeof startWsServer>>;
  beforeAll(async () => {
    p = pipeline({ LOG_POLICY_MODE: 'development' }, { global: true });
    server = await start(log, model.url);
  });
  afterAll(() => server.close());

  test('three calls at once: lifecycle, ids, records before naming, timers, promises, the model socket, after the end', async () => {
    const sids = ['CA0001', 'CA0002', 'CA0003'].map((s) => `${s}${start === startWsServer ? 'w' : start === startFastifyServer ? 'f' : 'p'}`);
    const movedBefore = instrumentation.stats().handlesMoved;
    await Promise.all(sids.map((callSid, i) => twilioCall(server.url, { callSid, frames: 10 + i * 5 })));
    await until(() => sids.every((id) => ofCall(id).some((r) => r.body === 'Disconnected from the model')), 'every model socket closed');

    for (const id of sids) {
      const records = ofCall(id);
      const keys = bodiesOf(records);
      expect(keys[0]).toBe('CALL_START');
      // Logged before the start message named the call, and stamped with its CallSid.
      expect(keys).toContain('Client connected');
      expect(keys).toContain('Connected to the model');
      expect(keys).toContain('model session created');
      expect(keys).toContain(`Incoming stream has started MZ${id}`);
      expect(keys).toContain('timer after start');
      expect(keys).toContain('promise after start');
      expect(keys).toContain('mark received');
      expect(keys).toContain('stream stopped');
      // The caller's close handler runs before CALL_END; the model's close comes after it.
      const end = keys.indexOf('CALL_END');
      expect(keys.indexOf('Client disconnected')).toBeLessThan(end);
      expect(keys.at(-1)).toBe('Disconnected from the model');
      expect(keys.filter((k) => k === 'CALL_START' || k === 'CALL_END')).toEqual(['CALL_START', 'CALL_END']);

      const startRecord = records[0]!;
      expect(startRecord.attributes).toMatchObject({ 'call.named_by': 'twilio', 'call.stream_id': `MZ${id}`, 'url.path': '/media-stream' });
      // CALL_START is dated at the connection, before anything the call logged.
      expect(hrMs(startRecord.hrTime)).toBeLessThanOrEqual(hrMs(records.find((r) => r.body === 'Client connected')!.hrTime));
      const endRecord = records[end]!;
      expect(endRecord.attributes['ws.close_code']).toBe(1000);
      expect(typeof endRecord.attributes['ws.duration_ms']).toBe('number');
      // The summary covers every record up to CALL_END, not the one after it.
      expect(endRecord.attributes['log.produced_count']).toBe(end + 1);
    }
    // No record of the server went out without a call, and none under another call's id.
    expect(p.records().filter((r) => r.instrumentationScope.name === 'voice' && !sids.includes(String(r.attributes['call.id'])))).toEqual([]);
    expect(instrumentation.stats().handlesMoved - movedBefore).toBe(moves ? sids.length : 0);
    const stats = p.processor.stats();
    expect(stats.afterEnd).toBe(sids.length);
    expect(stats.callsOpen).toBe(0);
  });
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function hrMs([s, ns]: [number, number]): number {
  return s * 1000 + ns / 1e6;
}

describe('naming without a protocol message, and bad input', () => {
  let server: Awaited<ReturnType<typeof startWsServer>>;
  beforeAll(async () => {
    p = pipeline({ LOG_POLICY_MODE: 'development' }, { global: true });
    server = await startWsServer(log, model.url);
  });
  afterAll(() => server.close());
  afterEach(() => {
    p.exporter.reset();
  });

  /** A raw client: opens, sends `messages`, and leaves the socket to the test. */
  async function connect(path: string, messages: Array<string | Buffer> = [], headers: Record<string, string> = {}) {
    const base = server.url.replace('/media-stream', '');
    const socket = new WebSocket(`${base}${path}`, { headers });
    await once(socket, 'open');
    for (const m of messages) socket.send(m);
    return socket;
  }
  const closeAndWait = async (socket: InstanceType<typeof WebSocket>) => {
    socket.close(1000);
    await once(socket, 'close');
  };
  const startRecords = () => p.records().filter((r) => r.attributes['log.key'] === 'CALL_START');

  test("a start message without a call id, not JSON, with a 1 MB or a 10,000-character id: the call takes the URL's call_id", async () => {
    const before = instrumentation.stats();
    const cases: Array<[string, string]> = [
      ['url-none', JSON.stringify({ event: 'start', start: { streamSid: 'MZ1' } })],
      ['url-json', '{"event":"start", not json'],
      ['url-huge', JSON.stringify({ event: 'start', start: { callSid: 'C'.repeat(1024 * 1024) } })],
      ['url-type', JSON.stringify({ event: 'start', start: { callSid: 42 } })],
      ['url-long', JSON.stringify({ event: 'start', start: { callSid: 'C'.repeat(10_000) } })],
      ['url-space', JSON.stringify({ event: 'start', start: { callSid: 'CA 1' } })],
    ];
    for (const [id, start] of cases) {
      const socket = await connect(`/media-stream?call_id=${id}`, [JSON.stringify({ event: 'connected' }), start]);
      await closeAndWait(socket);
      await until(() => ended(id), `CALL_END of ${id}`);
      expect(bodiesOf(ofCall(id))[0]).toBe('CALL_START');
      expect(ofCall(id)[0]!.attributes['call.named_by']).toBe('url');
    }
    const after = instrumentation.stats();
    // Missing, non-string, too long (10,000 characters) and spaced ids are counted as invalid; the 1 MB message is not even parsed.
    expect(after.invalidIds - before.invalidIds).toBe(4);
    expect(after.unparsedMessages - before.unparsedMessages).toBe(1);
    expect(after.oversizedMessages - before.oversizedMessages).toBe(1);
    expect(p.records().some((r) => String(r.attributes['call.id']).length > 256)).toBe(false);
  });

  test('a context manager registered while a call is open: what its socket delivers afterwards still carries the call', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const socket = await connect('/media-stream', [JSON.stringify({ event: 'start', start: { callSid: 'CA-swap', streamSid: 'MZ-swap' } })]);
      await until(() => ofCall('CA-swap').some((r) => r.body === 'Incoming stream has started MZ-swap'), 'the start in the call');
      context.disable();
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      socket.send(JSON.stringify({ event: 'mark', mark: { name: 'm1' } }));
      await until(() => p.records().some((r) => r.body === 'mark received'), 'the mark');
      await closeAndWait(socket);
      await until(() => ended('CA-swap'), 'CALL_END');
      expect(
        p
          .records()
          .filter((r) => r.body === 'mark received' || r.body === 'Client disconnected')
          .map((r) => r.attributes['call.id']),
      ).toEqual(['CA-swap', 'CA-swap']);
    } finally {
      context.disable();
    }
  });

  test('a connection that never sends start is named at the deadline (x-call-id header), its early records released in order', async () => {
    const held = instrumentation.stats().heldRecords;
    const socket = await connect('/media-stream', [], { 'x-call-id': 'hdr-1' });
    await until(() => instrumentation.stats().heldRecords - held === 3, 'three held records (connected, model open, model session)');
    // Held: nothing of the call has gone out yet.
    expect(ofCall('hdr-1')).toEqual([]);
    expect(p.records().some((r) => r.body === 'Client connected')).toBe(false);
    await timers.advance(2_000);
    expect(bodiesOf(ofCall('hdr-1'))).toEqual(['CALL_START', 'Client connected', 'Connected to the model', 'model session created']);
    expect(ofCall('hdr-1')[0]!.attributes['call.named_by']).toBe('header');
    await closeAndWait(socket);
    await until(() => ended('hdr-1'), 'CALL_END');
  });

  test('with no id anywhere the call gets a generated one; paths outside LOG_POLICY_CALL_PATHS are not calls', async () => {
    const opened = instrumentation.stats().opened;
    const socket = await connect('/media-stream', ['not json at all']);
    await closeAndWait(socket);
    await until(() => startRecords().length === 1 && p.records().some((r) => r.attributes['log.key'] === 'CALL_END'), 'the call');
    const id = String(startRecords()[0]!.attributes['call.id']);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(startRecords()[0]!.attributes['call.named_by']).toBe('generated');
    expect(bodiesOf(ofCall(id))).toContain('bad message');
    // The server's own outbound connection to the model (path /model) is not a call.
    expect(instrumentation.stats().opened - opened).toBe(1);
  });

  test('an app protocol adapter names its calls', async () => {
    const acmeServer = new (createRequire(import.meta.url)('ws').WebSocketServer)({ host: '127.0.0.1', port: 0, path: '/acme/v1' });
    await once(acmeServer, 'listening');
    acmeServer.on('connection', (s: InstanceType<typeof WebSocket>) => s.on('message', () => log('acme message')));
    const socket = new WebSocket(`ws://127.0.0.1:${acmeServer.address().port}/acme/v1`);
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'hello', session: 'acme-42' }));
    socket.close();
    await until(() => ended('acme-42'), 'CALL_END of acme-42');
    expect(bodiesOf(ofCall('acme-42'))).toEqual(['CALL_START', 'acme message', 'CALL_END']);
    expect(ofCall('acme-42')[0]!.attributes['call.named_by']).toBe('acme');
    await new Promise((resolve) => acmeServer.close(resolve));
  });

  test('a call that holds too much is named early rather than hold without bound', async () => {
    const WebSocketServer = createRequire(import.meta.url)('ws').WebSocketServer as typeof import('ws').WebSocketServer;
    const chatty = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/media-stream' });
    await once(chatty, 'listening');
    // 300 records before any message: the hold (256 records) overflows and the call is named then.
    chatty.on('connection', (s) => {
      for (let i = 0; i < 300; i++) log(`early ${i}`);
      s.send('ready');
    });
    const before = instrumentation.stats().heldOverflows;
    const socket = new WebSocket(`ws://127.0.0.1:${(chatty.address() as { port: number }).port}/media-stream`, { headers: { 'x-call-id': 'hold-full' } });
    await once(socket, 'message');
    expect(instrumentation.stats().heldOverflows).toBe(before + 1);
    const keys = bodiesOf(ofCall('hold-full'));
    expect(keys).toEqual(['CALL_START', ...Array.from({ length: 300 }, (_, i) => `early ${i}`)]);
    await closeAndWait(socket);
    await until(() => ended('hold-full'), 'CALL_END');
    await new Promise((resolve) => chatty.close(resolve));
  });
});

test('10,000 connections opened and dropped: every one a call, ended, counted; memory bounded', async () => {
  p = pipeline({ LOG_POLICY_MODE: 'production' }, { global: true });
  const WebSocketServer = createRequire(import.meta.url)('ws').WebSocketServer as typeof import('ws').WebSocketServer;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/media-stream' });
  await once(wss, 'listening');
  wss.on('connection', (s) => s.on('message', () => log('message')));
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/media-stream`;
  const before = instrumentation.stats();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const N = 10_000;
  for (let done = 0; done < N; done += 100) {
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        const socket = new WebSocket(url);
        await once(socket, 'open');
        socket.terminate();
      }),
    );
  }
  await until(() => instrumentation.stats().ended - before.ended === N, 'every call ended').catch((error: unknown) => {
    throw new Error(`${String(error)}: ${JSON.stringify([before, instrumentation.stats(), wss.clients.size])}`);
  });
  const stats = instrumentation.stats();
  expect(stats.opened - before.opened).toBe(N);
  expect(p.processor.stats().callsOpen).toBe(0);
  expect(p.records().filter((r) => r.attributes['log.key'] === 'CALL_END')).toHaveLength(N);
  // Ended calls are remembered in a bounded set (1024); nothing else per call stays.
  p.exporter.reset();
  for (let i = 0; i < 3; i++) {
    await sleep(50);
    gc();
  }
  const grown = process.memoryUsage().heapUsed - heapBefore;
  console.info(`10,000 calls: heap grew ${(grown / 1024 / 1024).toFixed(1)} MiB`);
  expect(grown).toBeLessThan(16 * 1024 * 1024);
  await new Promise((resolve) => wss.close(resolve));
}, 120_000);

test('a server that scopes its calls itself (examples/ws-media-server.ts) gets each call once: the automatic scope yields to startCall', async () => {
  p = pipeline({ LOG_POLICY_MODE: 'development' }, { global: true });
  const { startMediaServer } = await import('../../examples/ws-media-server.ts');
  const server = await startMediaServer(0);
  const claimed = instrumentation.stats().claimed;
  try {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/media?call_id=own-1`);
    await once(socket, 'open');
    socket.send(JSON.stringify({ event: 'start' }));
    socket.send(JSON.stringify({ event: 'mark' }));
    await once(socket, 'message');
    socket.close();
    await until(() => ended('own-1'), 'CALL_END');
    await sleep(20);
    expect(bodiesOf(ofCall('own-1'))).toEqual(['CALL_START', 'frame start', 'playback mark reached', 'CALL_END']);
    expect(instrumentation.stats().claimed).toBe(claimed + 1);
  } finally {
    await server.close();
  }
});

test("why the socket is bound: a server-side socket's events run outside the scope its connection handler ran in; an outbound socket's keep it", async () => {
  // The model server's path is not a call path, so this is plain `ws` and AsyncLocalStorage.
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const WebSocketServer = createRequire(import.meta.url)('ws').WebSocketServer as typeof import('ws').WebSocketServer;
  const als = new AsyncLocalStorage<string>();
  const seen: Record<string, string | undefined> = {};
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/plain' });
  await once(wss, 'listening');
  const done = new Promise<void>((resolve) => {
    wss.on('connection', (socket) =>
      als.run('scope', () => {
        socket.on('message', () => {
          seen['server message'] = als.getStore();
          als.run('outbound', () => {
            const up = new WebSocket(model.url);
            up.on('message', () => {
              seen['outbound message'] = als.getStore();
              up.close();
              resolve();
            });
          });
        });
      }),
    );
  });
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/plain`);
  await once(client, 'open');
  client.send('hi');
  await done;
  expect(seen).toEqual({ 'server message': undefined, 'outbound message': 'outbound' });
  client.close();
  await new Promise((resolve) => wss.close(resolve));
});

test('records of the getLogger facade (decided before they are built) are held and named like the others', async () => {
  p = pipeline({ LOG_POLICY_MODE: 'production' }, { global: true });
  const { getLogger } = await import('../../src/api/getLogger.ts');
  const facade = getLogger('server.app');
  const WebSocketServer = createRequire(import.meta.url)('ws').WebSocketServer as typeof import('ws').WebSocketServer;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/media-stream' });
  await once(wss, 'listening');
  wss.on('connection', (s) => {
    facade.warn('early facade line');
    facade.debug('early debug line production drops');
    s.on('message', (data) => {
      facade.info('[DSP] on');
      if (String(data).includes('"mark"')) s.send(JSON.stringify({ event: 'mark' }));
    });
  });
  await twilioCall(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/media-stream`, { callSid: 'CA-facade', frames: 2 });
  await until(() => ended('CA-facade'), 'CALL_END');
  expect(bodiesOf(ofCall('CA-facade'))).toEqual(['CALL_START', 'early facade line', '[DSP] on', 'CALL_END']);
  expect(p.processor.stats().droppedByReason.once).toBeGreaterThan(0);
  // Nothing was decided under the provisional id: no state opened for it and left behind.
  expect(p.processor.stats().callsOpen).toBe(0);
  await new Promise((resolve) => wss.close(resolve));
});
