import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { AlertsHealthIndicator } from './alerts.health';
import { CacheHealthIndicator } from './cache.health';
import { DatabaseHealthIndicator } from './database.health';
import { IngestionHealthIndicator } from './ingestion.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly databaseHealth: DatabaseHealthIndicator,
    private readonly ingestionHealth: IngestionHealthIndicator,
    private readonly cacheHealth: CacheHealthIndicator,
    private readonly alertsHealth: AlertsHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Service health',
    description:
      'Database reachable, engine (postgresql or timescaledb; when TimescaleDB is not used, why and how to fix it), migrations applied, role (primary, or replica when DATABASE_URL is a read-only hot standby, with its replayLagSeconds) and the read replicas of DATABASE_REPLICA_URLS (state healthy, lagging, down or connecting, and lagSeconds); ingestion on or off (and how to turn it on); the answer cache (ok, local, disabled, or degraded while Redis is unusable); the alerts firing now (see /api/v1/monitor/alerts). 200 when usable, 503 (same body) while the database is down or still starting.',
  })
  @ApiResponse({ status: 200, description: 'Usable' })
  @ApiResponse({ status: 503, description: 'The database is unreachable or not migrated yet' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.databaseHealth.check(),
        () => this.ingestionHealth.check(),
        () => this.cacheHealth.check(),
        () => this.alertsHealth.check(),
      ]);
    } catch (error) {
      // Terminus reports "down" by throwing; a health endpoint answers with the details either way.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
