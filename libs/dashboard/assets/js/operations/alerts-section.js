/** Alerts firing and pending now, and the recent firings and resolutions (GET /api/v1/monitor/alerts). */
import { h, table } from '../dom.js';
import { relativeTime } from '../format.js';
import { newYorkDateTime } from '../ny-time.js';

const labelsOf = (labels) =>
  Object.entries(labels ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');

/** @param {{ firing: any[], pending: any[], recent: any[], note?: string }} alerts */
export function alertsSection(alerts) {
  const active = (alert, kind) =>
    h(
      'div',
      { class: `alert-item ${kind}`, 'data-alert': alert.alertname, 'data-alert-state': kind },
      h(
        'div',
        {},
        h('span', { class: 'alert-name', text: alert.alertname }),
        ` ${kind}`,
        alert.labels && Object.keys(alert.labels).length ? ` (${labelsOf(alert.labels)})` : '',
      ),
      h('div', { text: alert.summary }),
      h('div', {
        class: 'muted',
        text:
          kind === 'firing'
            ? `firing since ${relativeTime(alert.firedAt ?? alert.activeSince)}`
            : `seen since ${relativeTime(alert.activeSince)}`,
      }),
    );
  const recent = alerts.recent
    .slice(0, 15)
    .map((event) => [
      h('span', { class: 'nowrap', text: newYorkDateTime(Date.parse(event.at)) }),
      event.alertname,
      h('span', { class: `state ${event.status === 'firing' ? 'state-failed' : 'state-done'}`, text: event.status }),
      labelsOf(event.labels) || '—',
      event.notification?.owed
        ? event.notification.sentAt
          ? 'sent'
          : `owed${event.notification.lastError ? ` (${event.notification.lastError})` : ''}`
        : '—',
    ]);
  return h(
    'div',
    { 'data-firing': String(alerts.firing.length) },
    alerts.firing.length || alerts.pending.length
      ? h('div', {}, ...alerts.firing.map((alert) => active(alert, 'firing')), ...alerts.pending.map((alert) => active(alert, 'pending')))
      : h('p', { class: 'muted', text: 'No alert is firing or pending.' }),
    alerts.note ? h('p', { class: 'hint', text: alerts.note }) : null,
    h('h4', { text: 'Recent' }),
    recent.length
      ? table('Recent alert events', ['When (NY)', 'Alert', 'Status', 'Labels', 'Webhook'], recent)
      : h('p', { class: 'muted', text: 'No alert has fired yet.' }),
  );
}
