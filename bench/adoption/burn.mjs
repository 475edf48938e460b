// Preloaded into the voice server for the adoption case's calibration way: every `message` event
// of every `ws` socket first spins the CPU for BURN_NS nanoseconds (pure computation, no
// allocation, no I/O). It shows how the side-by-side measure answers a known cost per event.
import WebSocket from 'ws';

const BURN_NS = Number(process.env.BURN_NS ?? 0);
if (!Number.isFinite(BURN_NS) || BURN_NS <= 0) throw new Error(`BURN_NS is ${process.env.BURN_NS}; accepted: a number of nanoseconds above 0`);

let sink = 0;
function spin(iterations) {
  let x = sink;
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) | 0;
  return x;
}
// Iterations per nanosecond, measured once the loop is compiled.
spin(5e6);
const started = process.hrtime.bigint();
spin(5e7);
const iterations = Math.round((BURN_NS * 5e7) / Number(process.hrtime.bigint() - started));

const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function emitAfterBurn(event, ...args) {
  if (event === 'message') sink = spin(iterations);
  return emit.call(this, event, ...args);
};
