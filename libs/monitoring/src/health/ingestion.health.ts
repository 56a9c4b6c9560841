import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { IngestionStatus } from '@app/ingestion';

/** Whether ingestion runs, and if not, why and how to turn it on. */
@Injectable()
export class IngestionHealthIndicator {
  constructor(
    private readonly status: IngestionStatus,
    private readonly indicators: HealthIndicatorService,
  ) {}

  // Off is a setting, not a failure: stored data is still served, so this stays "up".
  check(): HealthIndicatorResult {
    return this.indicators.check('ingestion').up({ ...this.status.toJSON() });
  }
}
