import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startMediaServer, type MediaServer } from '../../examples/ws-media-server.ts';
import { pipeline, type Pipeline } from '../helpers/pipeline.ts';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`still waiting for ${what}`);
    await sleep(10);
  }
}

/** A real `ws` client streaming a call's frames, as a telephony provider would. */
async function streamCall(port: number, callId: string, frames: number): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/media?call_id=${callId}`);
  await once(socket, 'open');
  socket.send(JSON.stringify({ event: 'start' }));
  for (let i = 0; i < frames; i++) socket.send(JSON.stringify({ event: 'media', media: { payload: 'AAAA'.repeat(i + 1) } }));
  socket.send(JSON.stringify({ event: 'mark' }));
  await once(socket, 'message'); // mark_ack: every frame before it was handled
  socket.send('not json');
  socket.close();
  await once(socket, 'close');
}

describe('examples/ws-media-server.ts: a call scope per media websocket connection', () => {
  let server: MediaServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const ofCall = (p: Pipeline, id: string) => p.records().filter((r) => r.attributes['call.id'] === id);
  const ended = (p: Pipeline, id: string) => ofCall(p, id).some((r) => r.attributes['log.key'] === 'CALL_END');

  it('stamps every record of a connection with its call.id, between CALL_START and CALL_END', async () => {
    // No rate limits: every audio frame's record passes, so each one's call.id can be checked.
    const p = pipeline({ LOG_POLICY_MODE: 'development', LOG_POLICY_RATE_LIMITS: 'none' }, { global: true });
    server = await startMediaServer(0);
    // Two calls at once, their frames interleaved on the server.
    await Promise.all([streamCall(server.port, 'call-ws-a', 3), streamCall(server.port, 'call-ws-b', 5)]);
    await until(() => ended(p, 'call-ws-a') && ended(p, 'call-ws-b'), 'both CALL_END records');

    const media = p.records().filter((r) => r.instrumentationScope.name === 'media');
    expect(media.length).toBe(2 * 3 + 3 + 5); // start, mark and the bad frame per call, plus the audio frames
    for (const r of media) expect(['call-ws-a', 'call-ws-b']).toContain(r.attributes['call.id']);

    for (const [id, frames] of [
      ['call-ws-a', 3],
      ['call-ws-b', 5],
    ] as const) {
      const keys = ofCall(p, id).map((r) => r.attributes['log.key'] ?? r.body);
      expect(keys[0]).toBe('CALL_START');
      expect(keys.at(-1)).toBe('CALL_END');
      expect(ofCall(p, id).filter((r) => r.body === '[AUDIO_DELTA] audio frame')).toHaveLength(frames);
      const end = ofCall(p, id).at(-1)!;
      expect(end.attributes['ws.close_code']).toBe(1005);
      expect(end.attributes['log.produced_count']).toBe(frames + 5);
    }
  });

  it('in production the per-frame debug lines are dropped and the lifecycle stays', async () => {
    const p = pipeline({ LOG_POLICY_MODE: 'production' }, { global: true });
    server = await startMediaServer(0);
    await streamCall(server.port, 'call-ws-prod', 4);
    await until(() => ended(p, 'call-ws-prod'), 'CALL_END');
    expect(ofCall(p, 'call-ws-prod').map((r) => r.attributes['log.key'] ?? r.body)).toEqual([
      'CALL_START',
      'frame start',
      'playback mark reached',
      '[BAD_FRAME] not JSON',
      'CALL_END',
    ]);
  });
});
