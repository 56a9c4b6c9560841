import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { TimeframeValue } from '@app/core';
import { CacheMetrics } from './cache.metrics';
import { CacheRedis } from './cache-redis';

/** A series is one symbol in one timeframe; its version changes with every write to its bars. */
export interface SeriesId {
  symbol: string;
  timeframe: TimeframeValue;
}

export const seriesTag = ({ symbol, timeframe }: SeriesId): string => `${symbol}\u0000${timeframe}`;

function newToken(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The version of every series, the half of a cache key that a write changes. With Redis the
 * versions live there (one hash per symbol), so a write on one instance changes the key every
 * other instance computes for its next read. Without Redis, or while it is unusable, they live
 * in this process, starting from a token no other process or run can have produced. Writes made
 * while Redis is unusable are replayed there when it answers again.
 */
@Injectable()
export class SeriesVersions {
  private readonly local = new Map<string, string>();
  private readonly processToken = newToken();
  private readonly pendingBumps = new Map<string, SeriesId>();
  private readonly listeners: ((series: readonly SeriesId[]) => void)[] = [];

  constructor(
    private readonly metrics: CacheMetrics,
    @Optional() @Inject(CacheRedis) private readonly redis?: CacheRedis,
  ) {
    // Writes made here while Redis was away reach it before anyone reads versions from it again.
    redis?.beforeUse(() => this.replayPending());
  }

  /** Called after each bump, on this instance, with the series that changed. */
  onBump(listener: (series: readonly SeriesId[]) => void): void {
    this.listeners.push(listener);
  }

  /** One opaque string naming the current versions of `series` (same order, same answer). */
  async current(symbol: string, timeframes: readonly TimeframeValue[]): Promise<string> {
    if (this.redis?.ready) {
      try {
        const key = this.redisKey(symbol);
        let tokens = await this.redis.client.hmget(key, ...timeframes);
        if (tokens.some((token) => token === null)) {
          // First sight of a series (or its hash was evicted): give it a token no earlier state can have had.
          const missing = timeframes.filter((_, i) => tokens[i] === null);
          await Promise.all(missing.map((timeframe) => this.redis!.client.hsetnx(key, timeframe, newToken())));
          tokens = await this.redis.client.hmget(key, ...timeframes);
        }
        if (tokens.some((token) => token === null)) throw new Error('series version missing after HSETNX');
        return `${this.redis.namespace}${tokens.join('.')}`;
      } catch (error) {
        this.redis.failed(error);
      }
    }
    return `local:${timeframes.map((timeframe) => this.local.get(seriesTag({ symbol, timeframe })) ?? this.processToken).join('.')}`;
  }

  /** A write changed these series: every key that named their old versions is unreachable now. */
  async bump(series: readonly SeriesId[]): Promise<void> {
    if (!series.length) return;
    for (const one of series) this.local.set(seriesTag(one), newToken());
    this.metrics.invalidations.inc(series.length);
    for (const listener of this.listeners) listener(series);
    if (!this.redis) return;
    if (!this.redis.ready || !(await this.bumpInRedis(series))) {
      for (const one of series) this.pendingBumps.set(seriesTag(one), one);
    }
  }

  private async bumpInRedis(series: readonly SeriesId[]): Promise<boolean> {
    const redis = this.redis!;
    const token = newToken();
    const bySymbol = new Map<string, string[]>();
    for (const { symbol, timeframe } of series) bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), timeframe, token]);
    try {
      const transaction = redis.client.multi();
      for (const [symbol, fields] of bySymbol) transaction.hset(this.redisKey(symbol), ...fields);
      const results = await transaction.exec();
      if (!results || results.some(([error]) => error)) throw new Error('version bump was not applied');
      return true;
    } catch (error) {
      redis.failed(error);
      return false;
    }
  }

  private async replayPending(): Promise<void> {
    // Until it is empty: writes keep arriving while a replay is on its way.
    while (this.pendingBumps.size) {
      const series = [...this.pendingBumps.values()];
      this.pendingBumps.clear();
      if (await this.bumpInRedis(series)) continue;
      for (const one of series) this.pendingBumps.set(seriesTag(one), one);
      throw new Error('pending version bumps were not replayed');
    }
  }

  private redisKey(symbol: string): string {
    return `${this.redis!.namespace}v:${symbol}`;
  }
}
