import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { NoQuery } from '@app/http';
import { ApiErrors, RATE_LIMITED, READ_KEY_ERRORS } from '@app/http';
import { AlertsView } from '../alerts/alerts-view';
import { type PerformanceReport, PerformanceView } from './performance-view';
import { MonitorAlertsDto, MonitorAlertsQueryDto } from './monitor-alerts.dto';

@ApiTags('monitor')
@ApiSecurity('api-key')
@Controller('api/v1/monitor')
export class MonitorController {
  constructor(
    private readonly alertsView: AlertsView,
    private readonly performanceView: PerformanceView,
  ) {}

  @Get('performance')
  @ApiOperation({
    summary: 'Latency, storage, database health, provider budget and backfill outcomes',
    description:
      '`latency`: per window (`last5Minutes`, `lastHour`) p50/p95/p99 and mean in seconds per route (`GET /api/v1/asset/:symbol/candles`) and per candles timeframe, across every instance ' +
      '(each writes 10-second histograms to latency_slots; quantiles are interpolated inside buckets as Prometheus histogram_quantile does), and `minuteToFiveMinuteRatio`, the latency of one-minute candle requests over that of five-minute ones (null unless both timeframes are allowed and asked for). ' +
      '`storage`: the newest sample (STORAGE_SAMPLE_INTERVAL): database bytes, market_data rows and bytes per timeframe (bytes apportioned by row share), TimescaleDB compression, growth per day and month, capacity, percent used, days until ALERT_STORAGE_PERCENT. ' +
      '`database`: buffer cache hit ratio, index and sequential scans on market_data. `slowQueries`: plans captured for candle queries slower than SLOW_QUERY_MS. ' +
      "`provider`: this instance's share of the per-minute budget, requests, 429s, retries. `backfill`: jobs per timeframe and state.",
  })
  @ApiOkResponse({
    description: 'The report',
    schema: {
      type: 'object',
      example: {
        generatedAt: '2024-03-15T15:00:00.000Z',
        latency: {
          last5Minutes: {
            routes: [{ key: 'GET /api/v1/asset/:symbol/candles', count: 412, p50: 0.004, p95: 0.012, p99: 0.03, meanSeconds: 0.006 }],
            timeframes: [
              { key: '1m', count: 200, p50: 0.006, p95: 0.018, p99: 0.04, meanSeconds: 0.008 },
              { key: '1h', count: 212, p50: 0.003, p95: 0.008, p99: 0.02, meanSeconds: 0.004 },
            ],
            minuteToFiveMinuteRatio: { p50: 2, p95: 2.25, p99: 2 },
          },
        },
        storage: {
          databaseBytes: 734003200,
          capacity: { bytes: 107374182400, source: 'setting', percentUsed: 0.68, daysUntilThreshold: 412, thresholdPercent: 80 },
        },
        provider: { budgetUsedRatio: 0.4, requests: 120, rateLimited: 0, retries: 1 },
        backfill: [{ timeframe: '1m', state: 'done', jobs: 10, bars: 983000, errors: 0 }],
      },
    },
  })
  @ApiErrors(...READ_KEY_ERRORS, RATE_LIMITED)
  performance(@Query() _query: NoQuery): Promise<PerformanceReport> {
    return this.performanceView.report();
  }

  @Get('alerts')
  @ApiOperation({
    summary: 'Alerts firing and pending now, and the recent firings and resolutions',
    description:
      'Built-in alerts, evaluated every ALERT_EVALUATION_INTERVAL on one instance at a time: MarketDataSlowRoute (a route p95 above ALERT_SLOW_ROUTE_MS over ALERT_WINDOW), ' +
      'ProviderRateLimited (a provider 429 within ALERT_WINDOW), StorageNearlyFull (above ALERT_STORAGE_PERCENT of capacity), BackfillFailed (labelled by timeframe), ' +
      'MarketDataStale (no 1m bar for ALERT_STALE_AFTER while the market is open), DatabaseUnreachable. Each must hold for its ALERT_FOR duration before it fires. ' +
      'Every firing and resolution is logged and, with ALERT_WEBHOOK_URL, POSTed in Alertmanager webhook format; `notification` says whether it was delivered.',
  })
  @ApiOkResponse({ type: MonitorAlertsDto })
  @ApiErrors(
    {
      status: 400,
      description: 'A parameter is malformed or unknown; `details` names the field and why',
      message: 'limit: limit must not be greater than 500',
      details: [{ field: 'limit', reason: 'limit must not be greater than 500' }],
    },
    ...READ_KEY_ERRORS,
    RATE_LIMITED,
  )
  alerts(@Query() query: MonitorAlertsQueryDto): Promise<MonitorAlertsDto> {
    return this.alertsView.alerts(query.limit ?? 50);
  }
}
