import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, formatDuration, messageOf } from '@app/core';
import { DatabaseService } from '@app/database';
import { AlertEvaluator } from './alert-evaluator';
import { AlertOutbox } from './alert-outbox';
import { DatabaseOutageAlert } from './database-outage.alert';
import { InstanceHeartbeat } from './instance-heartbeat';

const TICK = 'monitor-alerts-tick';

/**
 * Every ALERT_EVALUATION_INTERVAL on every instance: watch the database (DatabaseUnreachable),
 * write this instance's heartbeat, evaluate the rules if no other instance is doing so, and
 * deliver owed webhooks. All of it off the request path; a tick still running skips the next.
 */
@Injectable()
export class AlertTicker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  private running?: Promise<void>;
  private lastError?: string;

  constructor(
    private readonly config: AppConfigService,
    private readonly registry: SchedulerRegistry,
    private readonly database: DatabaseService,
    private readonly evaluator: AlertEvaluator,
    private readonly outbox: AlertOutbox,
    private readonly outage: DatabaseOutageAlert,
    private readonly heartbeat: InstanceHeartbeat,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.get('MONITOR_ENABLED')) return;
    const every = this.config.get('ALERT_EVALUATION_INTERVAL');
    this.registry.addInterval(
      TICK,
      setInterval(() => void this.tick(), every),
    );
    this.logger.log(
      `alerts evaluated every ${formatDuration(every)}${this.outbox.url ? ', sent to ALERT_WEBHOOK_URL' : ' (log only: ALERT_WEBHOOK_URL is unset)'}`,
    );
  }

  onModuleDestroy(): void {
    if (this.registry.doesExist('interval', TICK)) this.registry.deleteInterval(TICK);
  }

  /** One round; resolves when done (tests call it instead of waiting for the timer). */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    try {
      // On a read-only replica no heartbeat, states or events: the primary's instances evaluate.
      if (!(await this.outage.check(this.clock.now())) || !this.database.isWritable) return;
      await this.outage.learnScope();
      await this.heartbeat.beat(this.clock.now());
      await this.evaluator.evaluateIfFree();
      await this.outbox.deliver();
      this.lastError = undefined;
    } catch (error) {
      // Once per distinct problem: a database that is down says so through DatabaseUnreachable.
      const message = messageOf(error);
      if (message !== this.lastError) this.logger.warn(`alert round failed: ${message}`);
      this.lastError = message;
    }
  }
}
