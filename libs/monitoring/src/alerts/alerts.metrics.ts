import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ALERT_NAMES } from '@app/config';
import { METRICS_REGISTRY } from '@app/metrics';

/** `alerts_firing{alertname}`, `market_data_stale_series`, `alert_notifications_total{outcome}`. */
@Injectable()
export class AlertsMetrics {
  private readonly firing: Gauge<'alertname'>;
  private readonly stale: Gauge;
  private readonly notifications: Counter<'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.firing = new Gauge({
      name: 'alerts_firing',
      help: 'Built-in alerts firing now, by name (set by the instance that evaluated them last; use max across instances)',
      labelNames: ['alertname'],
      registers,
    });
    for (const alertname of ALERT_NAMES) this.firing.set({ alertname }, 0);
    this.stale = new Gauge({
      name: 'market_data_stale_series',
      help: 'Tracked symbols whose newest 1m bar is older than ALERT_STALE_AFTER while their market is open (set by the evaluating instance)',
      registers,
    });
    this.notifications = new Counter({
      name: 'alert_notifications_total',
      help: 'Alert webhook deliveries by outcome (sent, failed: retried later)',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** Firing counts of `alertnames` (the evaluator's rules, or the outage watcher's one). */
  setFiring(alertnames: readonly string[], counts: ReadonlyMap<string, number>): void {
    for (const alertname of alertnames) this.firing.set({ alertname }, counts.get(alertname) ?? 0);
  }

  setStale(count: number): void {
    this.stale.set(count);
  }

  notified(outcome: 'sent' | 'failed'): void {
    this.notifications.inc({ outcome });
  }
}
