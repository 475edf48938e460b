// A Twilio Media Streams voice server in the shape of the public "speech assistant" samples:
// fastify + @fastify/websocket, one realtime-model websocket per call, console.log everywhere.
// It does not import otel-log-policy. Run it with the policy, zero code:
//
//   LOG_POLICY_CAPTURE_CONSOLE=1 OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 \
//     node --import otel-log-policy/register examples/voice-server.mjs
//
// and each Twilio call is a call scope named by its CallSid (see docs/calls.md).
import Fastify from 'fastify';
import fastifyWs from '@fastify/websocket';
import WebSocket from 'ws';

const PORT = Number(process.env.PORT ?? 5050);
const HOST = process.env.HOST ?? '0.0.0.0';
const MODEL_URL = process.env.MODEL_URL ?? 'wss://api.openai.com/v1/realtime?model=gpt-realtime';
const MODEL_API_KEY = process.env.MODEL_API_KEY ?? '';
const VOICE = 'alloy';
const SYSTEM_MESSAGE = 'You are a helpful and bubbly voice assistant.';
// Per-frame detail, as the samples have it: off unless asked.
const SHOW_TIMING_MATH = process.env.SHOW_TIMING_MATH === '1';
const LOG_EVENT_TYPES = ['session.created', 'session.updated', 'response.done', 'error', 'input_audio_buffer.speech_started'];

const fastify = Fastify();
fastify.register(fastifyWs);

fastify.get('/', async () => ({ message: 'Media Stream Server is running!' }));

// Twilio asks this URL what to do with an incoming call: stream it to /media-stream.
fastify.all('/incoming-call', async (request, reply) => {
  const twiml = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say>Please wait while we connect your call.</Say>
  <Connect><Stream url="wss://${request.headers.host}/media-stream" /></Connect>
</Response>`;
  reply.type('text/xml').send(twiml);
});

fastify.register(async (app) => {
  app.get('/media-stream', { websocket: true }, (connection) => {
    console.log('Client connected');
    let streamSid = null;
    let latestMediaTimestamp = 0;
    const marks = [];

    const modelWs = new WebSocket(MODEL_URL, { headers: { Authorization: `Bearer ${MODEL_API_KEY}` } });

    modelWs.on('open', () => {
      console.log('Connected to the realtime model');
      modelWs.send(JSON.stringify({ type: 'session.update', session: { voice: VOICE, instructions: SYSTEM_MESSAGE, input_audio_format: 'g711_ulaw', output_audio_format: 'g711_ulaw' } }));
    });

    modelWs.on('message', (data) => {
      try {
        const response = JSON.parse(data);
        if (LOG_EVENT_TYPES.includes(response.type)) console.log(`Received event: ${response.type}`);
        if (response.type === 'response.output_audio.delta' && response.delta) {
          connection.send(JSON.stringify({ event: 'media', streamSid, media: { payload: response.delta } }));
          if (SHOW_TIMING_MATH) console.log(`Sent audio delta at ${latestMediaTimestamp}ms`);
        }
      } catch (error) {
        console.error('Error processing the model message:', error, 'Raw message:', data);
      }
    });

    modelWs.on('close', () => console.log('Disconnected from the realtime model'));
    modelWs.on('error', (error) => console.error('Error in the model WebSocket:', error));

    connection.on('message', (message) => {
      try {
        const data = JSON.parse(message);
        switch (data.event) {
          case 'media':
            latestMediaTimestamp = Number(data.media.timestamp);
            if (SHOW_TIMING_MATH) console.log(`Received media message with timestamp: ${latestMediaTimestamp}ms`);
            if (modelWs.readyState === WebSocket.OPEN) modelWs.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: data.media.payload }));
            break;
          case 'start':
            streamSid = data.start.streamSid;
            console.log('Incoming stream has started', streamSid);
            break;
          case 'mark':
            marks.push(data.mark.name);
            console.log('Mark received', data.mark.name);
            connection.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: data.mark.name } }));
            break;
          case 'stop':
            console.log('Stream stopped');
            break;
          default:
            console.log('Received non-media event:', data.event);
        }
      } catch (error) {
        console.error('Error parsing message:', error, 'Message:', message);
      }
    });

    connection.on('close', () => {
      if (modelWs.readyState === WebSocket.OPEN) modelWs.close();
      console.log('Client disconnected.');
    });
  });
});

fastify.listen({ port: PORT, host: HOST }, (err, address) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`Server is listening on ${address}`);
});
