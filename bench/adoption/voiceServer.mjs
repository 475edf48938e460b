// A media-stream voice server written the way public samples are (Twilio Media Streams in, a
// realtime model's websocket out, console.log for everything): the app the adoption benchmark
// runs without the package, under `--import otel-log-policy/register`, and with calls opened by
// hand (HAND_CALLS=1, the only variant that knows the package).
import { WebSocket, WebSocketServer } from 'ws';

const PORT = Number(process.env.PORT ?? 0);
const MODEL_URL = process.env.MODEL_URL ?? 'ws://127.0.0.1:9999/realtime';
const SHOW_TIMING_MATH = process.env.SHOW_TIMING_MATH === 'true';
const LOG_EVENT_TYPES = ['error', 'response.content.done', 'rate_limits.updated', 'response.done', 'input_audio_buffer.committed', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.speech_started', 'session.created'];
const byHand = process.env.HAND_CALLS === '1' ? await import('../../src/index.ts') : undefined;

const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT, path: '/media-stream' });

wss.on('connection', (connection) => {
  console.log('Client connected');
  let streamSid = null;
  let latestMediaTimestamp = 0;
  let call;
  // By hand, a call can only be named once `start` arrives; every handler runs in it from then on.
  const inCall = (fn) => (...args) => (call === undefined ? fn(...args) : call.run(() => fn(...args)));

  const openAiWs = new WebSocket(MODEL_URL, { headers: { Authorization: 'Bearer sk-test', 'OpenAI-Beta': 'realtime=v1' } });
  openAiWs.on('open', inCall(() => {
    console.log('Connected to the OpenAI Realtime API');
    openAiWs.send(JSON.stringify({ type: 'session.update', session: { turn_detection: { type: 'server_vad' }, input_audio_format: 'g711_ulaw', output_audio_format: 'g711_ulaw', voice: 'alloy' } }));
  }));
  openAiWs.on('message', inCall((data) => {
    try {
      const response = JSON.parse(data);
      if (LOG_EVENT_TYPES.includes(response.type)) console.log(`Received event: ${response.type}`, response);
      if (response.type === 'response.audio.delta' && response.delta) {
        connection.send(JSON.stringify({ event: 'media', streamSid, media: { payload: response.delta } }));
      }
    } catch (error) {
      console.error('Error processing OpenAI message:', error, 'Raw message:', data);
    }
  }));
  openAiWs.on('close', inCall(() => console.log('Disconnected from the OpenAI Realtime API')));
  openAiWs.on('error', inCall((error) => console.error('Error in the OpenAI WebSocket:', error)));

  connection.on('message', inCall((message) => {
    try {
      const data = JSON.parse(message);
      switch (data.event) {
        case 'media':
          latestMediaTimestamp = data.media.timestamp;
          if (SHOW_TIMING_MATH) console.log(`Received media message with timestamp: ${latestMediaTimestamp}ms`);
          if (openAiWs.readyState === WebSocket.OPEN) openAiWs.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: data.media.payload }));
          break;
        case 'start':
          streamSid = data.start.streamSid;
          if (byHand !== undefined) call = byHand.startCall(data.start.callSid, { 'twilio.stream_sid': streamSid });
          console.log('Incoming stream has started', streamSid);
          break;
        case 'mark':
          break;
        default:
          console.log('Received non-media event:', data.event);
          break;
      }
    } catch (error) {
      console.error('Error parsing message:', error, 'Message:', message);
    }
  }));
  connection.on('close', inCall(() => {
    if (openAiWs.readyState === WebSocket.OPEN) openAiWs.close();
    console.log('Client disconnected.');
    call?.end();
  }));
});

wss.on('listening', () => {
  console.log(`Server is listening on port ${wss.address().port}`);
  process.send?.({ port: wss.address().port });
});
