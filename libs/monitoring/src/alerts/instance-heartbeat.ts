import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DatabaseService } from '@app/database';
import { METRICS_REGISTRY } from '@app/metrics';
import { InstanceIdentity } from '../instance-id';

const RATE_LIMITED_METRIC = 'polygon_rate_limited_total';

/**
 * Writes this instance's row of monitor_instances at every alert tick: that it is alive, and
 * its provider 429 count with when it last grew. The provider answers each instance on its
 * own, so this is how the one instance evaluating alerts learns of everyone's 429s.
 */
@Injectable()
export class InstanceHeartbeat {
  private readonly startedAt = new Date();
  private lastRateLimited = 0;
  private rateLimitedAt: Date | null = null;

  constructor(
    private readonly database: DatabaseService,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly identity: InstanceIdentity,
  ) {}

  async beat(now: number): Promise<void> {
    const rateLimited = await this.rateLimitedTotal();
    if (rateLimited > this.lastRateLimited) this.rateLimitedAt = new Date(now);
    this.lastRateLimited = rateLimited;
    await this.database.execute(
      `INSERT INTO monitor_instances (instance, started_at, seen_at, rate_limited_total, rate_limited_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (instance) DO UPDATE SET seen_at = EXCLUDED.seen_at, rate_limited_total = EXCLUDED.rate_limited_total,
         rate_limited_at = EXCLUDED.rate_limited_at`,
      [this.identity.id, this.startedAt, new Date(now), rateLimited, this.rateLimitedAt],
    );
  }

  private async rateLimitedTotal(): Promise<number> {
    const metric = this.registry.getSingleMetric(RATE_LIMITED_METRIC);
    if (!metric) return 0;
    const { values } = await metric.get();
    return values.reduce((sum, sample) => sum + sample.value, 0);
  }
}
