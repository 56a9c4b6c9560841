import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, messageOf } from '@app/core';
import type { AlertRule } from './alert';
import { ALERT_RULES, DATABASE_UNREACHABLE } from './alert-rules';
import { type WebhookAlert, alertmanagerMessage, postWebhook, retryDelayMs } from './alertmanager-webhook';
import { AlertStore, type AlertEvent } from './alert-store';
import { AlertsMetrics } from './alerts.metrics';

/** A claimed message stays with its instance this long; if that instance dies, another takes it after. */
const LEASE_MS = 30_000;
const BATCH = 20;

/**
 * Delivers owed webhooks (alert_events with notify and no notified_at) in order, on whichever
 * instance claims them first (FOR UPDATE SKIP LOCKED + a lease), so each is sent once across
 * instances; a failure is retried with backoff. Runs on the alert timer, never on a request.
 * A crash between the receiver's answer and marking it sent can send it twice: receivers
 * dedupe by fingerprint, as they do for Alertmanager's repeats.
 */
@Injectable()
export class AlertOutbox {
  private readonly logger = new Logger('Alerts');
  /** What the webhook says of each alert besides its event: description and severity. */
  private readonly rules: ReadonlyMap<string, Pick<AlertRule, 'description' | 'severity'>>;

  constructor(
    private readonly store: AlertStore,
    private readonly config: AppConfigService,
    private readonly metrics: AlertsMetrics,
    @Inject(ALERT_RULES) rules: readonly AlertRule[],
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.rules = new Map([...rules, DATABASE_UNREACHABLE].map((rule) => [rule.name, rule]));
  }

  get url(): string | undefined {
    return this.config.get('ALERT_WEBHOOK_URL');
  }

  /** Delivers what is due (AlertTicker calls it once per round, never two at once). */
  async deliver(): Promise<void> {
    const now = () => this.clock.now();
    const url = this.url;
    if (!url) return;
    const events = await this.store.claimOwed(now(), LEASE_MS, BATCH);
    for (const event of events) {
      const rule = this.rules.get(event.alertname);
      try {
        await postWebhook(url, alertmanagerMessage(webhookAlertOf(event, rule)));
        await this.store.markNotified(event.id, now());
        this.metrics.notified('sent');
      } catch (error) {
        const delay = retryDelayMs(event.attempts);
        await this.store.markFailed(event.id, now() + delay, messageOf(error));
        this.metrics.notified('failed');
        this.logger.warn(
          `alert webhook for ${event.alertname} (${event.status}) failed: ${messageOf(error)}; retrying in ${delay / 1000} s`,
        );
        // Later messages wait: a receiver sees firing before resolved.
        await this.store.postpone(
          events.filter((later) => Number(later.id) > Number(event.id)).map((later) => later.id),
          now() + delay,
        );
        return;
      }
    }
  }
}

export function webhookAlertOf(event: AlertEvent, rule: Pick<AlertRule, 'description' | 'severity'> | undefined): WebhookAlert {
  return {
    fingerprint: event.fingerprint,
    alertname: event.alertname,
    labels: event.labels,
    status: event.status,
    summary: event.summary,
    description: rule?.description ?? '',
    severity: rule?.severity ?? 'warning',
    startsAt: event.startsAt,
    endsAt: event.endsAt,
  };
}
