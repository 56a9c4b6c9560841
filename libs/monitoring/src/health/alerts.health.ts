import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AlertsView } from '../alerts/alerts-view';

/** The alerts firing now. Always "up": an alert is news for a person, not a reason to take the instance out of the load balancer. */
@Injectable()
export class AlertsHealthIndicator {
  constructor(
    private readonly alerts: AlertsView,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const firing = await this.alerts.firing();
    return this.indicators.check('alerts').up({
      firing: firing.map((alert) => ({ alertname: alert.alertname, labels: alert.labels, summary: alert.summary, firedAt: alert.firedAt })),
    });
  }
}
