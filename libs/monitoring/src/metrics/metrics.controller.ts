import { Controller, Get, Header } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { BackfillMetrics } from '@app/backfill';
import { PolygonMetrics } from '@app/polygon';

/**
 * Prometheus text format: process metrics plus every component's own registry
 * (provider requests, 429s, retries, latency, bars; backfill job runs). Scrape each
 * instance behind the load balancer separately.
 */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly processRegistry = new Registry();

  constructor(private readonly modules: ModuleRef) {
    collectDefaultMetrics({ register: this.processRegistry });
  }

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics', description: 'Provider, backfill and process metrics of this instance.' })
  @ApiProduces('text/plain')
  async metrics(): Promise<string> {
    const registries = [this.processRegistry];
    for (const component of [PolygonMetrics, BackfillMetrics]) {
      const found = this.modules.get<{ registry: Registry }>(component, { strict: false });
      registries.push(found.registry);
    }
    return Registry.merge(registries).metrics();
  }
}
