/**
 * A media websocket server (the shape of a Twilio/Vonage media stream endpoint) with a call scope
 * per connection: every record logged while handling that connection's frames carries its call.id,
 * and the call's lifecycle is CALL_START on connect, CALL_END (with the policy's summary) on close.
 *
 *   node --import ./src/register.ts examples/ws-media-server.ts    # listens on PORT or 8080
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { getLogger, startCall } from '../src/index.ts';

const log = getLogger('media');

export interface MediaServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A frame as media streams send them: JSON with an `event` (`media` carries base64 audio). */
interface Frame {
  event?: string;
  media?: { payload?: string };
}

function onFrame(socket: WebSocket, data: RawData): void {
  let frame: Frame;
  try {
    frame = JSON.parse(data.toString()) as Frame;
  } catch {
    log.warn('[BAD_FRAME] not JSON', { bytes: data.toString().length });
    return;
  }
  switch (frame.event) {
    case 'media':
      // Per-frame detail: debug, so production drops it before it is even built.
      log.debug('[AUDIO_DELTA] audio frame', { bytes: frame.media?.payload?.length ?? 0 });
      break;
    case 'mark':
      log.info('playback mark reached');
      socket.send(JSON.stringify({ event: 'mark_ack' }));
      break;
    default:
      log.info(`frame ${frame.event ?? '(no event)'}`);
  }
}

/** Listens on 127.0.0.1:`port` (0 = any free port), path `/media?call_id=...`. */
export async function startMediaServer(port = 0): Promise<MediaServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/media' });
  server.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/media', 'http://localhost');
    const scope = startCall(url.searchParams.get('call_id') ?? randomUUID(), { 'call.transport': 'websocket' });
    // Each handler runs inside the call: its records (and their awaits) belong to this call.
    socket.on('message', (data) => scope.run(() => onFrame(socket, data)));
    socket.on('error', (error) => scope.run(() => log.error('media socket error', undefined, error)));
    socket.on('close', (code) => scope.end({ 'ws.close_code': code }));
  });
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.main) {
  const server = await startMediaServer(Number(process.env['PORT'] ?? 8080));
  log.info(`media server listening on ws://127.0.0.1:${server.port}/media`);
}
