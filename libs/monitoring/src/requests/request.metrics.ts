import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';

/** Seconds; 0.5 s is the monitor's slow-request threshold, so it is a bucket edge. */
export const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface RoutedRequest extends IncomingMessage {
  /** Set by Express once a route matched: its pattern, never the path (labels must not grow with symbols). */
  route?: { path?: string };
  baseUrl?: string;
}

/**
 * `http_request_duration_seconds{method,route,status}` for every request, including those a
 * guard refused (429, 401) or that matched no route (`route="unmatched"`). Registered as
 * middleware so it sees the whole request, from the first byte to the last sent.
 */
@Injectable()
export class RequestMetrics implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: REQUEST_BUCKETS,
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
      this.duration.observe({ method: request.method ?? 'GET', route, status: String(response.statusCode) }, seconds);
    });
    next();
  }
}
