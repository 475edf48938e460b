import { startCall, type CallScope } from '../src/api/callScope.ts';
import { getLogger } from '../src/api/getLogger.ts';
import { OncePerCall } from '../src/api/OncePerCall.ts';
import { RateLimiter } from '../src/api/RateLimiter.ts';
import { pipeline, PRODUCTION, useGlobally, type Pipeline } from './pipelines.ts';

/**
 * A call that has touched every piece of per-call state: the policy's (budget, once, rate limit,
 * repeated errors, drop counts by key and reason) and the seed helpers' (RateLimiter, OncePerCall).
 */
export class CallWorkload {
  readonly service: Pipeline;
  private readonly media = getLogger('server.media_ws_ai');
  private readonly dsp = getLogger('server.services.audio_dsp');
  private readonly app = getLogger('server.app');
  private readonly rl = new RateLimiter();
  private readonly once = new OncePerCall();

  constructor() {
    this.service = pipeline(PRODUCTION);
    useGlobally(this.service.provider);
  }

  /** Starts call `id` and logs its opening minute's worth of patterns; the call stays open. */
  open(id: string): CallScope {
    const call = startCall(id, { 'call.direction': 'inbound' });
    call.run(() => {
      this.app.info('[REALTIME] connected');
      for (let i = 0; i < 2; i++) {
        this.dsp.info('[DSP] enabled: highpass+limiter');
        this.app.info('[RMS] rms=0.1');
        this.media.warn('[TX_SLOW] tx_queue=40');
        this.dsp.error('[DSP] ERROR: biquad state is NaN');
        this.app.debug('frame', { i });
        if (this.rl.every('audio_drain', 5)) this.media.debug('[AUDIO_DRAIN] tx=1');
        if (this.once.once('audio_mode')) this.media.info('[AUDIO_MODE] g711');
      }
      for (let i = 0; i < 25; i++) this.app.info('turn', { i }); // past the budget: dropped by it
    });
    return call;
  }

  /** Flushes the batch, so no record is held for export when the heap is measured. */
  flush(): Promise<void> {
    return this.service.flush();
  }
}
