import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfigService } from '@app/config';
import { type CachedAnswer, decodeAnswer, encodeAnswer, sizeOf } from './cached-answer';
import { type CacheTier, CacheMetrics } from './cache.metrics';
import { CacheRedis, type CacheHealth } from './cache-redis';
import { seriesTag, type SeriesId, SeriesVersions } from './series-versions';

/**
 * While Redis is configured but unusable, other instances' writes cannot reach this one; its
 * own answers are then kept this briefly, bounding how long such a write could go unseen.
 */
export const DEGRADED_TTL_MS = 5_000;

/**
 * Larger answers stay in this process: moving them through Redis within its 50 ms command
 * timeout is not assured, and they are the cheapest per byte to remake. A day of 1m bars is
 * ~190 KB; a page of 10,000 bars ~2 MB.
 */
export const SHARED_MAX_BYTES = 4 * 1024 * 1024;

export interface Lookup {
  answer: CachedAnswer;
  /** Where it came from; `miss` when it was just computed. */
  tier: CacheTier | 'miss';
}

interface LocalEntry {
  answer: CachedAnswer;
  tags: readonly string[];
}

/**
 * Serialised answers in two tiers: this process (bounded in bytes, least recently used out
 * first) and, with REDIS_URL, Redis, so an answer computed on one instance serves the others.
 * Keys are the caller's and must name the versions of the series an answer is made of
 * (SeriesVersions), so a write never needs to find and delete what it made stale; answers of
 * a bumped series are still dropped from this process at once to free the room.
 */
@Injectable()
export class AnswerCache implements OnModuleDestroy {
  private readonly local: LRUCache<string, LocalEntry>;
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly inFlight = new Map<string, Promise<CachedAnswer>>();
  readonly enabled: boolean;

  constructor(
    config: AppConfigService,
    versions: SeriesVersions,
    private readonly metrics: CacheMetrics,
    @Optional() @Inject(CacheRedis) private readonly redis?: CacheRedis,
  ) {
    this.enabled = config.get('CACHE_ENABLED');
    const maxSize = Math.max(1, config.get('CACHE_MAX_BYTES'));
    this.local = new LRUCache<string, LocalEntry>({
      maxSize,
      maxEntrySize: maxSize,
      sizeCalculation: (entry, key) => sizeOf(key, entry.answer),
      dispose: (entry, key, reason) => {
        this.untag(key, entry.tags);
        if (reason === 'evict') this.metrics.evictions.inc();
      },
    });
    metrics.watchLocalTier(() => ({ bytes: this.local.calculatedSize, entries: this.local.size }));
    // Keys name series versions, so entries made before an outage stay right after it: a write
    // anywhere since then changed the versions (and so the keys), and a restarted Redis the namespace.
    versions.onBump((series) => this.dropSeries(series));
  }

  get health(): CacheHealth {
    if (!this.enabled) return 'disabled';
    if (!this.redis) return 'local';
    return this.redis.ready ? 'ok' : 'degraded';
  }

  /**
   * The answer under `key`, from this process, then Redis, else from `produce` (run once however
   * many requests miss it together). `tags` name the series the answer is made of.
   */
  async getOrProduce(
    key: string,
    tags: readonly SeriesId[],
    now: number,
    produce: () => Promise<CachedAnswer>,
    /** False for entries that are not answers themselves (an encoded form, a source decision): kept out of hit/miss counts. */
    counted = true,
  ): Promise<Lookup> {
    const local = this.fromLocal(key, now);
    if (local) return this.hit(local, 'local', counted);
    const running = this.inFlight.get(key);
    if (running) return { answer: await running, tier: 'miss' };
    const work = this.lookUpOrProduce(key, tags, now, produce, counted);
    this.inFlight.set(
      key,
      work.then(({ answer }) => answer),
    );
    try {
      return await work;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Stores an answer made from another (another encoding of the same bytes, say). */
  put(key: string, tags: readonly SeriesId[], now: number, answer: CachedAnswer): void {
    this.store(key, tags, now, answer, true);
  }

  private store(key: string, tags: readonly SeriesId[], now: number, answer: CachedAnswer, share: boolean): void {
    if (answer.expiresAt <= now) return;
    const capped = this.redis && !this.redis.ready ? { ...answer, expiresAt: Math.min(answer.expiresAt, now + DEGRADED_TTL_MS) } : answer;
    const tagList = tags.map(seriesTag);
    this.local.set(key, { answer: capped, tags: tagList }, { ttl: capped.expiresAt - now });
    for (const tag of tagList) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    if (share && this.redis?.ready && answer.body.length <= SHARED_MAX_BYTES) void this.toRedis(key, capped, capped.expiresAt - now);
  }

  /** Only from this process: for answers that are cheap to remake but worth not remaking. */
  peekLocal(key: string, now: number): CachedAnswer | undefined {
    return this.fromLocal(key, now);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.close();
  }

  /** An answer that did not go through the cache, and why. */
  bypassed(reason: 'disabled' | 'moving-window'): void {
    this.metrics.bypasses.inc({ reason });
  }

  /** A 304 answered from the key alone. */
  notModified(): void {
    this.metrics.notModified.inc();
  }

  private async lookUpOrProduce(
    key: string,
    tags: readonly SeriesId[],
    now: number,
    produce: () => Promise<CachedAnswer>,
    counted: boolean,
  ): Promise<Lookup> {
    const shared = await this.fromRedis(key, now);
    if (shared) {
      this.store(key, tags, now, shared, false);
      return this.hit(shared, 'redis', counted);
    }
    if (counted) this.metrics.misses.inc();
    const answer = await produce();
    this.put(key, tags, now, answer);
    return { answer, tier: 'miss' };
  }

  private hit(answer: CachedAnswer, tier: CacheTier, counted: boolean): Lookup {
    if (counted) this.metrics.hits.inc({ tier });
    return { answer, tier };
  }

  private fromLocal(key: string, now: number): CachedAnswer | undefined {
    const entry = this.local.get(key);
    if (!entry) return undefined;
    if (entry.answer.expiresAt > now) return entry.answer;
    this.local.delete(key);
    return undefined;
  }

  private async fromRedis(key: string, now: number): Promise<CachedAnswer | undefined> {
    if (!this.redis?.ready) return undefined;
    let value: Buffer | null;
    try {
      value = await this.redis.client.getBuffer(this.redis.namespace + key);
    } catch (error) {
      this.redis.failed(error);
      return undefined;
    }
    if (!value) return undefined;
    const answer = decodeAnswer(key, value);
    if (!answer || answer.expiresAt <= now) return undefined; // corrupt, foreign or expired: ignored
    return answer;
  }

  private async toRedis(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    const redis = this.redis!;
    try {
      await redis.client.set(redis.namespace + key, encodeAnswer(key, answer), 'PX', Math.max(1, Math.ceil(ttlMs)));
    } catch (error) {
      redis.failed(error);
    }
  }

  private dropSeries(series: readonly SeriesId[]): void {
    for (const one of series) {
      const keys = this.keysByTag.get(seriesTag(one));
      if (!keys) continue;
      for (const key of [...keys]) this.local.delete(key);
    }
  }

  private untag(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }
}
