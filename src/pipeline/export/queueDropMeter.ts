import { createNoopMeter, type Attributes, type Counter, type Meter, type MeterProvider } from '@opentelemetry/api';
import type { ExportStats } from './ExportStats.ts';

/**
 * The BatchLogRecordProcessor reports records it drops on a full queue only as a self-observability
 * metric (`otel.sdk.processor.log.processed` with `error.type=queue_full`). This MeterProvider is
 * a no-op except for that counter, which it adds to `stats.queueDropped`.
 */
export function queueDropMeterProvider(stats: ExportStats): MeterProvider {
  const noop = createNoopMeter();
  const meter: Meter = Object.create(noop) as Meter;
  meter.createCounter = <A extends Attributes>(name: string): Counter<A> => {
    const counter = noop.createCounter<A>(name);
    if (name !== 'otel.sdk.processor.log.processed') return counter;
    return Object.assign(Object.create(counter) as Counter<A>, {
      add(value: number, attributes?: A) {
        if (attributes?.['error.type'] === 'queue_full') stats.queueDropped += value;
      },
    });
  };
  return { getMeter: () => meter };
}
