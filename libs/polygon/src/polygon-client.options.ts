import type { AppConfigService } from '@app/config';

/** Knobs that are not user settings: fixed in production, shortened in tests. */
export interface PolygonTuning {
  /** `limit` sent with every request; the provider's maximum is 50000 base aggregates. */
  pageLimit: number;
  /** Planned windows aim at this share of `pageLimit`, leaving room for estimate errors. */
  windowFill: number;
  /** First retry delay; doubles per attempt, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is capped (a broken header must not stall ingestion for hours). */
  retryAfterMaxMs: number;
  /** Spacing = 60 s / limit x this margin, so clock jitter cannot push us over the provider's count. */
  rateSafetyFactor: number;
  /** Each 429 multiplies the spacing by this, up to `maxSlowdown` x the configured rate. */
  slowdownFactor: number;
  maxSlowdown: number;
  /** Name of the shared limiter in Redis: every process using the same key and name shares one budget. */
  limiterId: string;
  /** Recent bars may not be published yet (delayed plans, late trades): no "looks cut" check this close to now. */
  publicationDelayMs: number;
  /** Clock for the "looks cut" check (tests pin it). */
  now: () => number;
}

export interface PolygonClientOptions extends PolygonTuning {
  apiKey?: string;
  baseUrl: string;
  adjusted: boolean;
  timeoutMs: number;
  maxRetries: number;
  rateLimitPerMinute: number;
  redisUrl?: string;
}

export const DEFAULT_POLYGON_TUNING: PolygonTuning = {
  pageLimit: 50_000,
  windowFill: 0.9,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  retryAfterMaxMs: 120_000,
  rateSafetyFactor: 1.02,
  slowdownFactor: 2,
  maxSlowdown: 8,
  limiterId: 'market-data-api:polygon',
  publicationDelayMs: 20 * 60_000,
  now: () => Date.now(),
};

/** Override in tests: `.overrideProvider(POLYGON_TUNING).useValue({ backoffBaseMs: 5 })`. */
export const POLYGON_TUNING = Symbol('POLYGON_TUNING');
export const POLYGON_CLIENT_OPTIONS = Symbol('POLYGON_CLIENT_OPTIONS');

export function polygonOptionsFromConfig(config: AppConfigService, tuning: Partial<PolygonTuning> = {}): PolygonClientOptions {
  return {
    ...DEFAULT_POLYGON_TUNING,
    ...tuning,
    apiKey: config.get('POLYGON_API_KEY'),
    baseUrl: config.get('POLYGON_BASE_URL'),
    adjusted: config.get('POLYGON_ADJUSTED'),
    timeoutMs: config.get('POLYGON_TIMEOUT_MS'),
    maxRetries: config.get('POLYGON_MAX_RETRIES'),
    rateLimitPerMinute: config.get('POLYGON_RATE_LIMIT_PER_MINUTE'),
    redisUrl: config.get('REDIS_URL'),
  };
}
