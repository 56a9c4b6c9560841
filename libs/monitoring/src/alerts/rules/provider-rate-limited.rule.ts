import { Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { formatDuration } from '@app/core';
import { DatabaseService } from '@app/database';
import type { AlertCondition, AlertRule } from '../alert';

/** The provider answered 429 to any instance within ALERT_WINDOW (from monitor_instances). */
@Injectable()
export class ProviderRateLimitedRule implements AlertRule {
  readonly name = 'ProviderRateLimited';
  readonly description =
    'The provider answered 429 (rate limited) within ALERT_WINDOW: POLYGON_RATE_LIMIT_PER_MINUTE is above the plan, or another client shares the key';
  readonly severity = 'warning';

  constructor(
    private readonly database: DatabaseService,
    private readonly config: AppConfigService,
  ) {}

  async conditions(now: number): Promise<AlertCondition[]> {
    const window = this.config.get('ALERT_WINDOW');
    const [row] = await this.database.query<{ instances: number; last_at: Date | null }>(
      `SELECT count(*)::int AS instances, max(rate_limited_at) AS last_at
       FROM monitor_instances WHERE rate_limited_at >= $1`,
      [new Date(now - window)],
    );
    if (!row?.instances || !row.last_at) return [];
    return [
      {
        labels: {},
        value: row.instances,
        summary: `the provider answered 429 within the last ${formatDuration(window)} (${row.instances} instance(s), last at ${new Date(row.last_at).toISOString()}); requests are retried with backoff`,
      },
    ];
  }
}
