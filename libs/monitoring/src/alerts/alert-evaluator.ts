import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, messageOf } from '@app/core';
import { DatabaseService } from '@app/database';
import { type AlertCondition, type AlertRule, fingerprintOf } from './alert';
import { ALERT_RULES } from './alert-rules';
import { type ActiveAlert, AlertStore } from './alert-store';
import { AlertsMetrics } from './alerts.metrics';

export const ALERT_EVALUATION_LOCK = 'market-data-api:monitor:alerts';
/** How long firings and resolutions stay in alert_events. */
export const ALERT_HISTORY_MS = 90 * 86_400_000;

/** `MarketDataSlowRoute{route="GET /x"}`: how an alert is named in the log. */
export function alertTitle(alertname: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return parts.length ? `${alertname}{${parts.join(',')}}` : alertname;
}

/**
 * One evaluation of every rule against alert_states, on the one instance holding the alert
 * lock: a condition seen for the first time is pending; pending for its ALERT_FOR duration, it
 * fires; gone, a firing alert resolves (a pending one just clears). Firing and resolution are
 * logged and written to alert_events with the webhook they owe. A rule that fails to evaluate
 * keeps its alerts as they are: an error is not a recovery.
 */
@Injectable()
export class AlertEvaluator {
  private readonly logger = new Logger('Alerts');

  constructor(
    @Inject(ALERT_RULES) private readonly rules: readonly AlertRule[],
    private readonly store: AlertStore,
    private readonly database: DatabaseService,
    private readonly config: AppConfigService,
    private readonly metrics: AlertsMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Evaluates unless another instance is; false when it did not run. */
  async evaluateIfFree(): Promise<boolean> {
    const ran = await this.database.runExclusive(ALERT_EVALUATION_LOCK, () => this.evaluate(this.clock.now()));
    if (ran === undefined) {
      // Another instance evaluates: its gauges count, ours must not linger (Prometheus takes max across instances).
      this.metrics.setFiring(
        this.rules.map((rule) => rule.name),
        new Map(),
      );
      this.metrics.setStale(0);
    }
    return ran !== undefined;
  }

  private async evaluate(now: number): Promise<true> {
    const active = new Map((await this.store.active()).map((alert) => [alert.fingerprint, alert]));
    const kept = new Set<string>();
    for (const rule of this.rules) {
      let conditions: AlertCondition[];
      try {
        conditions = await rule.conditions(now);
      } catch (error) {
        this.logger.warn(`could not evaluate ${rule.name}: ${messageOf(error)}; its alerts stay as they are`);
        for (const alert of active.values()) if (alert.alertname === rule.name) kept.add(alert.fingerprint);
        continue;
      }
      for (const condition of conditions) kept.add(await this.hold(rule, condition, active, now));
    }
    for (const alert of active.values()) if (!kept.has(alert.fingerprint)) await this.clear(alert, now);
    await this.publishFiring();
    await this.store.pruneBefore(now - ALERT_HISTORY_MS);
    return true;
  }

  /** The condition holds: new -> pending, pending long enough -> firing, else refreshed. */
  private async hold(rule: AlertRule, condition: AlertCondition, active: Map<string, ActiveAlert>, now: number): Promise<string> {
    const fingerprint = fingerprintOf(rule.name, condition.labels);
    const previous = active.get(fingerprint);
    const alert: ActiveAlert = {
      fingerprint,
      alertname: rule.name,
      labels: condition.labels,
      state: previous?.state ?? 'pending',
      summary: condition.summary,
      value: condition.value,
      activeSince: previous?.activeSince ?? now,
      firedAt: previous?.firedAt ?? null,
    };
    if (alert.state === 'pending' && now - alert.activeSince >= this.config.get('ALERT_FOR')[rule.name]) {
      alert.state = 'firing';
      alert.firedAt = now;
      await this.store.fire(alert, this.eventOf(alert, 'firing', null), now);
      this.logger.warn(`alert firing: ${alertTitle(alert.alertname, alert.labels)}: ${alert.summary}`);
    } else {
      await this.store.saveActive(alert, now);
    }
    return fingerprint;
  }

  private async clear(alert: ActiveAlert, now: number): Promise<void> {
    if (alert.state === 'pending') return this.store.removeActive(alert.fingerprint);
    await this.store.resolve(alert.fingerprint, this.eventOf(alert, 'resolved', now), now);
    this.logger.log(`alert resolved: ${alertTitle(alert.alertname, alert.labels)} (was: ${alert.summary})`);
  }

  private eventOf(alert: ActiveAlert, status: 'firing' | 'resolved', endsAt: number | null) {
    return {
      fingerprint: alert.fingerprint,
      alertname: alert.alertname,
      labels: alert.labels,
      status,
      summary: alert.summary,
      value: alert.value,
      startsAt: alert.firedAt ?? alert.activeSince,
      endsAt,
      notify: this.config.get('ALERT_WEBHOOK_URL') !== undefined,
    };
  }

  private async publishFiring(): Promise<void> {
    const counts = new Map<string, number>();
    for (const alert of await this.store.active()) {
      if (alert.state === 'firing') counts.set(alert.alertname, (counts.get(alert.alertname) ?? 0) + 1);
    }
    this.metrics.setFiring(
      this.rules.map((rule) => rule.name),
      counts,
    );
  }
}
