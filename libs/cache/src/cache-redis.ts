import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { messageOf } from '@app/core';
import { CacheMetrics } from './cache.metrics';

/** A Redis command slower than this counts as a failure: the cache must never slow a request down. */
export const REDIS_COMMAND_TIMEOUT_MS = 50;
const PROBE_EVERY_MS = 1_000;

export type CacheHealth = 'ok' | 'degraded' | 'local' | 'disabled';

/**
 * The cache's Redis connection and whether it may be used. The first failed or slow command
 * marks it degraded (said once in the log): requests stop touching Redis, and a probe every
 * second brings it back. Each (re)connection reads Redis's run id: a restarted Redis (possibly
 * with an old snapshot) gets a new id, so nothing cached or versioned before it can match.
 * Keys also name the database (its cluster's system identifier and name).
 */
export class CacheRedis {
  private readonly logger = new Logger('Cache');
  readonly client: Redis;
  private usable = false;
  /** Whether the current outage has been logged (the first failure of each is). */
  private outageLogged = false;
  private closing = false;
  private runId = '';
  private storeScope?: Promise<string>;
  private probe?: NodeJS.Timeout;
  private readonly recoveringListeners: (() => Promise<void>)[] = [];

  constructor(
    url: string,
    private readonly metrics: CacheMetrics,
    /** Names the database answers are read from: deployments (and tests) sharing one Redis never share entries. */
    private readonly scope: () => Promise<string>,
  ) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      disconnectTimeout: 200,
      enableAutoPipelining: true,
    });
    this.client.on('error', () => undefined); // reported through failed(), once
    this.client.on('close', () => this.failed(new Error('connection closed')));
    this.client.on('ready', () => void this.tryRecover());
    this.startProbing();
    this.client.connect().catch((error: unknown) => this.failed(error));
  }

  /** True while requests may use Redis. */
  get ready(): boolean {
    return this.usable;
  }

  /** Prefix of every key: one per database, and new whenever Redis restarts. */
  get namespace(): string {
    return `mda:cache:${this.runId}:`;
  }

  private async scopeId(): Promise<string> {
    this.storeScope ??= this.scope().catch((error: unknown) => {
      this.storeScope = undefined; // asked again at the next probe
      throw error;
    });
    return this.storeScope;
  }

  /** Runs before Redis is used again (after the first connection too); a rejection keeps it unusable until the next probe. */
  beforeUse(listener: () => Promise<void>): void {
    this.recoveringListeners.push(listener);
  }

  /** Marks Redis unusable until the probe succeeds again; logs the first failure only. */
  failed(error: unknown): void {
    if (this.closing) return;
    this.metrics.redisErrors.inc();
    this.usable = false;
    this.metrics.degraded.set(1);
    this.startProbing();
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.logger.warn(`Redis unavailable (${messageOf(error)}); serving from the in-process tier until it answers again`);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.probe);
    this.probe = undefined;
    this.usable = false;
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }

  private startProbing(): void {
    if (this.probe) return;
    this.probe = setInterval(() => void this.tryRecover(), PROBE_EVERY_MS);
    this.probe.unref();
    setImmediate(() => void this.tryRecover());
  }

  private async tryRecover(): Promise<void> {
    if (this.usable || this.client.status !== 'ready') return;
    try {
      const info = await this.client.info('server');
      const runId = /run_id:(\w+)/.exec(info)?.[1];
      if (!runId) throw new Error('INFO server has no run_id');
      this.runId = `${await this.scopeId()}:${runId}`;
      for (const listener of this.recoveringListeners) await listener();
      this.usable = true;
      clearInterval(this.probe);
      this.probe = undefined;
      this.metrics.degraded.set(0);
      if (this.outageLogged) this.logger.log('Redis answers again; the shared cache tier is back');
      this.outageLogged = false;
    } catch {
      // still unusable; the next probe tries again
    }
  }
}
