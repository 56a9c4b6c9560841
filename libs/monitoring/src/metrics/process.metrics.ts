import { Inject, Injectable } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';

/** prom-client's default process metrics (CPU, memory, event loop, GC), registered once per application. */
@Injectable()
export class ProcessMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    collectDefaultMetrics({ register: registry });
  }
}
