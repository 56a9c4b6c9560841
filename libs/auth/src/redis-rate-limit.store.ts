import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimitDecision, RateLimitStore, WINDOW_MS } from './rate-limit.store';

const KEY_PREFIX = 'market-data-api:rate-limit:';
const WARN_EVERY_MS = 30_000;
/** A slower answer lets the request through unmetered: a stalled Redis must not stall the API. */
const COMMAND_TIMEOUT_MS = 50;

// The same GCRA as gcra() in rate-limit.store.ts, atomic in Redis and on Redis's clock,
// so instances with skewed clocks still share one budget.
const HIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
tat = tat + interval
local ahead = tat - now
if ahead > window then return {0, math.ceil(ahead - window)} end
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(ahead))
return {1, math.floor((window - ahead) / interval)}`;

/**
 * One budget per client across every instance that shares REDIS_URL. If Redis is
 * unreachable, requests are let through (with a warning) rather than failing the API.
 */
export class RedisRateLimitStore implements RateLimitStore, OnModuleDestroy {
  private readonly logger = new Logger(RedisRateLimitStore.name);
  private readonly redis: Redis;
  private lastWarning = 0;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false, // fail fast (and let the request through) while Redis is away
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      disconnectTimeout: 200, // ioredis keeps a timer this long after closing a socket that never connected
    });
    this.redis.on('error', (error: Error) => this.warn(`Redis error: ${error.message}`));
    this.redis.connect().catch((error: Error) => this.warn(`cannot connect to Redis: ${error.message}`));
  }

  async hit(clientId: string, limitPerMinute: number): Promise<RateLimitDecision> {
    try {
      const [allowed, value] = (await this.redis.eval(HIT_SCRIPT, 1, KEY_PREFIX + clientId, WINDOW_MS / limitPerMinute, WINDOW_MS)) as [
        number,
        number,
      ];
      return allowed === 1 ? { allowed: true, remaining: value, retryAfterMs: 0 } : { allowed: false, remaining: 0, retryAfterMs: value };
    } catch (error) {
      this.warn(`rate limit not enforced, Redis failed: ${error instanceof Error ? error.message : String(error)}`);
      return { allowed: true, remaining: 0, retryAfterMs: 0 };
    }
  }

  async onModuleDestroy(): Promise<void> {
    // quit() waits for a connection that may never come; only a live one has replies to flush.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
