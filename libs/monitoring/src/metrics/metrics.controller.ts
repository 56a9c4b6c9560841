import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';

/**
 * Prometheus text format: the application's one registry, whatever its components registered
 * in it (provider requests, 429s, retries, latency, bars; backfill job runs; process metrics).
 * Scrape each instance behind the load balancer separately.
 */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics', description: 'Provider, backfill and process metrics of this instance.' })
  @ApiProduces('text/plain')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
