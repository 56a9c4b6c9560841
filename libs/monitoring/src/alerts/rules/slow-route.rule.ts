import { Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { formatDuration } from '@app/core';
import { LatencyWindows } from '../../latency/latency-windows';
import type { AlertCondition, AlertRule } from '../alert';

/** A route whose p95 latency over ALERT_WINDOW (every instance's requests) exceeds ALERT_SLOW_ROUTE_MS. */
@Injectable()
export class SlowRouteRule implements AlertRule {
  readonly name = 'MarketDataSlowRoute';
  readonly description = "A route's p95 latency over ALERT_WINDOW is above ALERT_SLOW_ROUTE_MS, across all instances";
  readonly severity = 'warning';

  constructor(
    private readonly latency: LatencyWindows,
    private readonly config: AppConfigService,
  ) {}

  async conditions(now: number): Promise<AlertCondition[]> {
    const limitSeconds = this.config.get('ALERT_SLOW_ROUTE_MS') / 1000;
    const window = this.config.get('ALERT_WINDOW');
    const routes = await this.latency.quantiles('route', window, now);
    return routes
      .filter((route) => route.p95 !== null && route.p95 > limitSeconds)
      .map((route) => ({
        labels: { route: route.key },
        value: route.p95,
        summary: `${route.key}: p95 ${Math.round((route.p95 ?? 0) * 1000)} ms over the last ${formatDuration(window)} (${route.count} requests; threshold ${limitSeconds * 1000} ms)`,
      }));
  }
}
