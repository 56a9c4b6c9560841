import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';
import type { TimeframeValue } from '@app/core';
import { METRICS_REGISTRY, timeInto } from '@app/metrics';
import type { ServedSource } from './served-candle';

/** Candle pages read from the database (cache misses and uncached answers), by timeframe and source. */
@Injectable()
export class CandleReadMetrics {
  private readonly duration: Histogram<'timeframe' | 'source'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'candle_read_duration_seconds',
      help: 'Database reads of one candles page (stored or derived bars), by timeframe and source',
      labelNames: ['timeframe', 'source'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  /** Runs `read` and records how long it took. */
  timed<T>(timeframe: TimeframeValue, source: ServedSource, read: () => Promise<T>): Promise<T> {
    return timeInto(this.duration, { timeframe, source }, read);
  }
}
