import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AnswerCache } from '@app/cache';

/**
 * The answer cache: ok (Redis shared), local (no REDIS_URL), disabled, or degraded (Redis
 * configured but unusable: answers still flow, from this instance's tier). Never "down":
 * the cache failing costs speed, not answers.
 */
@Injectable()
export class CacheHealthIndicator {
  constructor(
    private readonly cache: AnswerCache,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult {
    return this.indicators.check('cache').up({ cache: this.cache.health });
  }
}
