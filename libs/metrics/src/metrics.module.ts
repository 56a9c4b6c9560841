import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry';

/**
 * Provides METRICS_REGISTRY. Each module that records metrics imports this one; Nest keeps a
 * single instance per application, so every component of an app shares one registry, and
 * several apps in one process (tests) never collide as they would on prom-client's global one.
 */
@Module({
  providers: [{ provide: METRICS_REGISTRY, useFactory: (): Registry => new Registry() }],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
