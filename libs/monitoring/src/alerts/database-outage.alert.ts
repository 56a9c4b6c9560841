import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfigService } from '@app/config';
import { messageOf } from '@app/core';
import { DatabaseService } from '@app/database';
import { fingerprintOf } from './alert';
import { DATABASE_UNREACHABLE } from './alert-rules';
import { type WebhookAlert, alertmanagerMessage, postWebhook, retryDelayMs } from './alertmanager-webhook';
import { type ActiveAlert, AlertStore } from './alert-store';
import { AlertsMetrics } from './alerts.metrics';

/** The owner of an outage's messages renews this often (a tick); a dead owner's claim lapses after it. */
const CLAIM_TTL_MS = 120_000;

interface Outage {
  downSince: number;
  reason: string;
  firedAt?: number;
  /** This instance tells the webhook about it (won the claim, or no Redis to share one). */
  owner: boolean;
  /** Messages not yet delivered, oldest first; moved to the outbox table once the database is back. */
  unsent: WebhookAlert[];
  nextAttemptAt: number;
  attempts: number;
}

/**
 * DatabaseUnreachable, watched by every instance on its own: while the database is down there
 * is no shared table or lock to coordinate through. With REDIS_URL the instances claim the
 * outage in Redis (SET NX) and only the claimant logs it as firing and calls the webhook, so
 * the receiver hears of it once; without Redis each instance reports it (labelled with no
 * instance: a receiver grouping by fingerprint sees one alert). Once the database answers, the
 * claimant writes the firing and the resolution to alert_events (the history) and leaves any
 * message it could not deliver to the outbox.
 */
@Injectable()
export class DatabaseOutageAlert implements OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  private readonly fingerprint = fingerprintOf(DATABASE_UNREACHABLE.name, {});
  private outage?: Outage;
  private redis?: Redis;
  private claimKey?: string;

  constructor(
    private readonly database: DatabaseService,
    private readonly store: AlertStore,
    private readonly config: AppConfigService,
    private readonly metrics: AlertsMetrics,
  ) {}

  /** Names the database in the claim, learnt while it answers: deployments sharing a Redis never share outages. */
  async learnScope(): Promise<void> {
    if (this.claimKey || !this.config.get('REDIS_URL')) return;
    const [row] = await this.database.query<{ scope: string }>(
      `SELECT (SELECT system_identifier FROM pg_control_system())::text || ':' || current_database() AS scope`,
    );
    this.claimKey = `mda:alerts:${row.scope}:${this.fingerprint}`;
  }

  /** The outage as an active alert, once it has fired on this instance. */
  current(): ActiveAlert | undefined {
    const outage = this.outage;
    if (outage?.firedAt === undefined) return undefined;
    return {
      fingerprint: this.fingerprint,
      alertname: DATABASE_UNREACHABLE.name,
      labels: {},
      state: 'firing',
      summary: this.summary(outage),
      value: null,
      activeSince: outage.downSince,
      firedAt: outage.firedAt,
    };
  }

  /** Watches the database; true when it answers. */
  async check(now: number): Promise<boolean> {
    const status = await this.database.status();
    if (status.connected) {
      await this.recovered(now);
      return true;
    }
    this.outage ??= { downSince: now, reason: status.error ?? 'not connected', owner: false, unsent: [], nextAttemptAt: now, attempts: 0 };
    const outage = this.outage;
    if (outage.firedAt === undefined && now - outage.downSince >= this.config.get('ALERT_FOR').DatabaseUnreachable) {
      outage.firedAt = now;
      outage.owner = await this.claim();
      this.metrics.setFiring([DATABASE_UNREACHABLE.name], new Map([[DATABASE_UNREACHABLE.name, 1]]));
      if (outage.owner) {
        this.logger.error(`alert firing: ${DATABASE_UNREACHABLE.name}: ${this.summary(outage)}`);
        outage.unsent.push(this.message(outage, 'firing', null));
      }
    } else if (outage.owner) {
      await this.renewClaim();
    }
    await this.sendUnsent(now);
    return false;
  }

  private async recovered(now: number): Promise<void> {
    const outage = this.outage;
    if (!outage) return;
    this.outage = undefined;
    if (outage.firedAt === undefined) return; // shorter than its `for`: never an alert
    this.metrics.setFiring([DATABASE_UNREACHABLE.name], new Map());
    if (!outage.owner) return;
    this.logger.log(
      `alert resolved: ${DATABASE_UNREACHABLE.name} (database answers again after ${Math.round((now - outage.downSince) / 1000)} s)`,
    );
    const firing = this.message(outage, 'firing', null);
    const resolved = this.message(outage, 'resolved', now);
    const firingSent = !outage.unsent.some((message) => message.status === 'firing');
    await this.store.record(
      { ...firing, value: null, notify: !firingSent && this.webhook !== undefined, notifiedAt: firingSent ? now : undefined },
      now,
    );
    await this.store.record({ ...resolved, value: null, notify: this.webhook !== undefined }, now);
    await this.release();
  }

  private summary(outage: Outage): string {
    return `the database does not answer (${outage.reason}) since ${new Date(outage.downSince).toISOString()}`;
  }

  private message(outage: Outage, status: 'firing' | 'resolved', endsAt: number | null): WebhookAlert {
    return {
      fingerprint: this.fingerprint,
      alertname: DATABASE_UNREACHABLE.name,
      labels: {},
      status,
      summary: this.summary(outage),
      description: DATABASE_UNREACHABLE.description,
      severity: DATABASE_UNREACHABLE.severity,
      startsAt: outage.firedAt ?? outage.downSince,
      endsAt,
    };
  }

  private get webhook(): string | undefined {
    return this.config.get('ALERT_WEBHOOK_URL');
  }

  private async sendUnsent(now: number): Promise<void> {
    const outage = this.outage;
    const url = this.webhook;
    if (!outage || !url || !outage.unsent.length || now < outage.nextAttemptAt) return;
    try {
      await postWebhook(url, alertmanagerMessage(outage.unsent[0]));
      outage.unsent.shift();
      this.metrics.notified('sent');
    } catch (error) {
      outage.nextAttemptAt = now + retryDelayMs(outage.attempts++);
      this.metrics.notified('failed');
      this.logger.warn(`alert webhook for ${DATABASE_UNREACHABLE.name} failed: ${messageOf(error)}; retrying`);
    }
  }

  /** True when this instance is to report the outage: it won the claim, or there is nothing to share one through. */
  private async claim(): Promise<boolean> {
    const redis = this.redisClient();
    if (!redis || !this.claimKey) return true;
    try {
      return (await redis.set(this.claimKey, String(process.pid), 'PX', CLAIM_TTL_MS, 'NX')) === 'OK';
    } catch {
      return true; // Redis down too: better twice than never
    }
  }

  private async renewClaim(): Promise<void> {
    if (this.redis && this.claimKey) await this.redis.pexpire(this.claimKey, CLAIM_TTL_MS).catch(() => undefined);
  }

  private async release(): Promise<void> {
    if (this.redis && this.claimKey) await this.redis.del(this.claimKey).catch(() => undefined);
  }

  private redisClient(): Redis | undefined {
    const url = this.config.get('REDIS_URL');
    if (!url) return undefined;
    if (!this.redis) {
      this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
      this.redis.on('error', () => undefined); // a failed claim reports itself (claim() falls back to reporting)
    }
    return this.redis;
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
