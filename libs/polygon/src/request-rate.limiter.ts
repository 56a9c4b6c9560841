import Bottleneck from 'bottleneck';
import Redis from 'ioredis';
import { messageOf, redactCredentials } from '@app/core';

export interface RequestRateLimiterOptions {
  perMinute: number;
  safetyFactor: number;
  slowdownFactor: number;
  maxSlowdown: number;
  /** With a Redis URL every limiter of the same `id` shares one budget, across processes. */
  redisUrl?: string;
  id: string;
  /** Receives limiter and Redis problems, already free of credentials. */
  onError: (message: string) => void;
}

/** Successful requests in a row after which a slowed-down limiter steps back toward the configured rate. */
const SUCCESSES_PER_RECOVERY_STEP = 10;
/** Shared state expires from Redis after this long without use, so stale settings do not outlive a config change. */
const REDIS_STATE_TTL_MS = 15 * 60_000;

/**
 * Spaces requests at least 60 s / limit apart (bottleneck `minTime`), so no rolling minute
 * ever holds more than the provider allows and a batch finishes at the rate floor instead
 * of bursting into 429s. After a 429 the spacing grows; a run of successes shrinks it back.
 * With Redis the spacing is enforced by bottleneck's clustering (Lua scripts on one key),
 * so several API instances share the provider budget.
 */
export class RequestRateLimiter {
  readonly baseSpacingMs: number;
  private spacing: number;
  private successesSinceChange = 0;
  private closed = false;
  private readonly limiter: Bottleneck;
  private readonly connection?: Bottleneck.IORedisConnection;

  constructor(private readonly options: RequestRateLimiterOptions) {
    this.baseSpacingMs = Math.ceil((60_000 / options.perMinute) * options.safetyFactor);
    this.spacing = this.baseSpacingMs;
    if (options.redisUrl) {
      const client = new Redis(options.redisUrl, { lazyConnect: false });
      client.on('error', (error: Error) => options.onError(`Redis for the shared rate limit: ${redactCredentials(error.message)}`));
      this.connection = new Bottleneck.IORedisConnection({ client });
      this.limiter = new Bottleneck({
        id: options.id,
        datastore: 'ioredis',
        connection: this.connection,
        clearDatastore: false,
        timeout: REDIS_STATE_TTL_MS,
        minTime: this.spacing,
      });
      // The configured rate wins over what an earlier process left in Redis.
      this.limiter
        .ready()
        .then(() => this.limiter.updateSettings({ minTime: this.spacing }))
        .catch((error: unknown) => options.onError(`shared rate limit not ready: ${describe(error)}`));
    } else {
      this.limiter = new Bottleneck({ minTime: this.spacing });
    }
    this.limiter.on('error', (error: unknown) => options.onError(`rate limiter: ${describe(error)}`));
  }

  get isShared(): boolean {
    return this.connection !== undefined;
  }

  get spacingMs(): number {
    return this.spacing;
  }

  /** Runs `task` when the budget allows; every attempt, retries included, goes through here. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.limiter.schedule(task);
  }

  /** A 429 came back: the budget is smaller than we thought (or shared with someone we do not know). */
  async slowDown(): Promise<void> {
    this.successesSinceChange = 0;
    const slower = Math.min(this.baseSpacingMs * this.options.maxSlowdown, Math.ceil(this.spacing * this.options.slowdownFactor));
    if (slower === this.spacing) return;
    this.spacing = slower;
    await this.apply();
  }

  async recordSuccess(): Promise<void> {
    if (this.spacing === this.baseSpacingMs) return;
    if (++this.successesSinceChange < SUCCESSES_PER_RECOVERY_STEP) return;
    this.successesSinceChange = 0;
    this.spacing = Math.max(this.baseSpacingMs, Math.floor(this.spacing / this.options.slowdownFactor));
    await this.apply();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
    // With a shared connection bottleneck's disconnect() returns nothing; the connection is ours to close.
    await Promise.resolve()
      .then(() => this.limiter.disconnect())
      .catch(() => undefined);
    await this.connection?.disconnect().catch(() => undefined);
  }

  private async apply(): Promise<void> {
    try {
      // The typings say it returns the limiter; it returns a promise that settles once the (Redis) store has the settings.
      await (this.limiter.updateSettings({ minTime: this.spacing }) as unknown as Promise<Bottleneck>);
    } catch (error) {
      this.options.onError(`could not change the request spacing: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return redactCredentials(messageOf(error));
}
