import { Injectable } from '@nestjs/common';
import { iso, messageOf } from '@app/core';
import type { ActiveAlertDto, AlertEventDto, MonitorAlertsDto } from '../api/monitor-alerts.dto';
import { type ActiveAlert, type AlertEvent, AlertStore } from './alert-store';
import { DatabaseOutageAlert } from './database-outage.alert';

const isoOrNull = (at: number | null): string | null => (at === null ? null : iso(at));

/** Alerts as the API and /health show them: the shared table's, and this instance's database outage. */
@Injectable()
export class AlertsView {
  constructor(
    private readonly store: AlertStore,
    private readonly outage: DatabaseOutageAlert,
  ) {}

  async alerts(limit: number): Promise<MonitorAlertsDto> {
    const local = this.outage.current();
    try {
      const [active, recent] = await Promise.all([this.store.active(), this.store.recent(limit)]);
      const all = [...(local ? [local] : []), ...active].map(activeDto);
      return {
        firing: all.filter((a) => a.state === 'firing'),
        pending: all.filter((a) => a.state === 'pending'),
        recent: recent.map(eventDto),
      };
    } catch (error) {
      return { firing: local ? [activeDto(local)] : [], pending: [], recent: [], note: `history unavailable: ${messageOf(error)}` };
    }
  }

  /** Firing alerts for /health, without the history (never failing it: health says what is wrong on its own). */
  async firing(): Promise<ActiveAlertDto[]> {
    const local = this.outage.current();
    const shared = await this.store.active().catch(() => []);
    return [...(local ? [local] : []), ...shared].filter((alert) => alert.state === 'firing').map(activeDto);
  }
}

function activeDto(alert: ActiveAlert): ActiveAlertDto {
  return {
    alertname: alert.alertname,
    labels: { ...alert.labels },
    state: alert.state,
    summary: alert.summary,
    value: alert.value,
    activeSince: iso(alert.activeSince),
    firedAt: isoOrNull(alert.firedAt),
    fingerprint: alert.fingerprint,
  };
}

function eventDto(event: AlertEvent): AlertEventDto {
  return {
    alertname: event.alertname,
    labels: { ...event.labels },
    status: event.status,
    summary: event.summary,
    value: event.value,
    startsAt: iso(event.startsAt),
    endsAt: isoOrNull(event.endsAt),
    at: iso(event.createdAt),
    notification: { owed: event.notify, sentAt: isoOrNull(event.notifiedAt), attempts: event.attempts, lastError: event.lastError },
    fingerprint: event.fingerprint,
  };
}
