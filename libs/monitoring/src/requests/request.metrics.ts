import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, type Registry } from 'prom-client';
import { TIMEFRAME_VALUES } from '@app/core';
import { CandlesService } from '@app/market-data';
import { METRICS_REGISTRY } from '@app/metrics';
import { LatencyWindows } from '../latency/latency-windows';
import { REQUEST_BUCKETS } from './request-buckets';

/** The candles route's pattern: its successful requests are also timed per timeframe. */
const CANDLES_ROUTE = '/api/v1/asset/:symbol/candles';
const TIMEFRAMES: ReadonlySet<string> = new Set(TIMEFRAME_VALUES);

interface RoutedRequest extends IncomingMessage {
  /** Set by Express once a route matched: its pattern, never the path (labels must not grow with symbols). */
  route?: { path?: string };
  baseUrl?: string;
  /** Express' parsed query string. */
  query?: Record<string, unknown>;
}

/**
 * `http_request_duration_seconds{method,route,status}` for every request, including those a
 * guard refused (429, 401) or that matched no route (`route="unmatched"`), and the same
 * durations into the latency windows (per `METHOD route`, and per timeframe for candles
 * answered 2xx/304). Registered as middleware so it sees the whole request, from the first
 * byte to the last sent. Not applied at all when MONITOR_ENABLED=false.
 */
@Injectable()
export class RequestMetrics implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly windows: LatencyWindows,
    private readonly candles: CandlesService,
  ) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [...REQUEST_BUCKETS],
      registers: [registry],
    });
  }

  use(request: RoutedRequest, response: ServerResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = request.route?.path;
      // This middleware is mounted as a wildcard route (`/{*path}`): still its own when no handler matched.
      const route = path && !path.includes('{*') ? `${request.baseUrl ?? ''}${path}` : 'unmatched';
      const method = request.method ?? 'GET';
      const status = response.statusCode;
      this.duration.observe({ method, route, status: String(status) }, seconds);
      this.windows.observe('route', `${method} ${route}`, seconds);
      if (route === CANDLES_ROUTE && ((status >= 200 && status < 300) || status === 304)) {
        const timeframe = request.query?.timeframe ?? this.candles.defaultTimeframe;
        if (typeof timeframe === 'string' && TIMEFRAMES.has(timeframe)) this.windows.observe('timeframe', timeframe, seconds);
      }
    });
    next();
  }
}
