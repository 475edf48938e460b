import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** 20 ms of 8 kHz µ-law audio, base64: what every Twilio `media` frame carries. */
const FRAME = Buffer.alloc(160, 0xff).toString('base64');
const FRAME_MS = 20;

/**
 * The realtime model's side, faked: it answers `session.update` with `session.updated`, streams
 * `response.audio.delta` at 50 frames/s back while the caller's audio flows, and every 5 s of
 * audio ends a turn with the events the sample logs (speech started/stopped, committed, done).
 */
export async function startFakeModel(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_1', model: 'gpt-realtime' } }));
    let appended = 0;
    socket.on('message', (raw) => {
      const event = JSON.parse(String(raw)) as { type: string };
      if (event.type === 'session.update') socket.send(JSON.stringify({ type: 'session.updated' }));
      if (event.type !== 'input_audio_buffer.append') return;
      appended++;
      socket.send(JSON.stringify({ type: 'response.audio.delta', response_id: 'resp_1', item_id: 'item_1', delta: FRAME }));
      if (appended % 250 === 0) {
        for (const type of ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed'])
          socket.send(JSON.stringify({ type, audio_start_ms: appended * FRAME_MS }));
        socket.send(JSON.stringify({ type: 'response.done', response: { id: `resp_${appended}`, status: 'completed', usage: { total_tokens: appended } } }));
      }
    });
  });
  await once(server, 'listening');
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/realtime`,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/**
 * `calls` concurrent Twilio Media Streams calls of `seconds` each against `url`: `connected`,
 * `start` (with a CallSid), `media` every 20 ms with its timestamp, a `mark` every second, `stop`,
 * then close. Resolves when every call has ended.
 */
export async function driveCalls(url: string, calls: number, seconds: number, tag: string): Promise<void> {
  const one = async (i: number): Promise<void> => {
    const socket = new WebSocket(url);
    await once(socket, 'open');
    const callSid = `CA${tag}${String(i).padStart(6, '0')}`;
    const streamSid = `MZ${tag}${String(i).padStart(6, '0')}`;
    socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    socket.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        start: { streamSid, callSid, accountSid: 'AC0', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
        streamSid,
      }),
    );
    const frames = (seconds * 1000) / FRAME_MS;
    const started = performance.now();
    for (let n = 1; n <= frames; n++) {
      socket.send(
        JSON.stringify({
          event: 'media',
          sequenceNumber: String(n + 1),
          media: { track: 'inbound', chunk: String(n), timestamp: String(n * FRAME_MS), payload: FRAME },
          streamSid,
        }),
      );
      if (n % 50 === 0) socket.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: `m${n}` } }));
      // Real time: frame n leaves 20·n ms after the start, whatever the timers' drift.
      const wait = started + n * FRAME_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    socket.send(JSON.stringify({ event: 'stop', streamSid, stop: { callSid, accountSid: 'AC0' } }));
    socket.close();
    await once(socket, 'close');
  };
  await Promise.all(Array.from({ length: calls }, (_, i) => one(i)));
}
