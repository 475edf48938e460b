import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export interface TwilioCallOptions {
  callSid: string;
  streamSid?: string;
  /** Media frames sent at 50 a second (20 ms of audio each), as Twilio does. */
  frames?: number;
  /** Query string of the stream URL (Twilio's <Stream url> may carry one). */
  query?: string;
  headers?: Record<string, string>;
  /** Replaces the start message's text (bad-input tests). */
  startText?: string;
}

/**
 * A client speaking the Twilio Media Streams protocol (`connected`, `start`, `media` at 50/s,
 * `mark`, `stop`), then closing: what Twilio's side of a call does to a stream server.
 */
export async function twilioCall(url: string, options: TwilioCallOptions): Promise<{ marksAcked: number }> {
  const streamSid = options.streamSid ?? `MZ${options.callSid}`;
  const socket = new WebSocket(options.query === undefined ? url : `${url}?${options.query}`, { headers: options.headers ?? {} });
  let marksAcked = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { event?: string };
    if (message.event === 'mark') marksAcked++;
  });
  await once(socket, 'open');
  let sequenceNumber = 1;
  const send = (message: object) => socket.send(JSON.stringify({ ...message, sequenceNumber: String(sequenceNumber++) }));
  socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
  const start = {
    event: 'start',
    streamSid,
    start: {
      accountSid: 'AC0000',
      streamSid,
      callSid: options.callSid,
      tracks: ['inbound'],
      customParameters: {},
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
  };
  if (options.startText !== undefined) socket.send(options.startText);
  else send(start);
  const frames = options.frames ?? 10;
  for (let chunk = 1; chunk <= frames; chunk++) {
    send({ event: 'media', streamSid, media: { track: 'inbound', chunk: String(chunk), timestamp: String(chunk * 20), payload: Buffer.alloc(160, chunk).toString('base64') } });
    await sleep(20);
  }
  send({ event: 'mark', streamSid, mark: { name: 'end-of-greeting' } });
  // The server echoes the mark once every frame before it was handled.
  for (let waited = 0; marksAcked === 0 && waited < 5_000; waited += 10) await sleep(10);
  send({ event: 'stop', streamSid, stop: { accountSid: 'AC0000', callSid: options.callSid } });
  socket.close(1000);
  await once(socket, 'close');
  return { marksAcked };
}
