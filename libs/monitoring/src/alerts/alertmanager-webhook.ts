import type { AlertLabels } from './alert';

/** What the webhook carries of one firing or resolution. */
export interface WebhookAlert {
  fingerprint: string;
  alertname: string;
  labels: AlertLabels;
  status: 'firing' | 'resolved';
  summary: string;
  description: string;
  severity: string;
  startsAt: number;
  endsAt: number | null;
}

/** Alertmanager's "zero" time: how it says a firing alert has no end yet. */
const NO_END = '0001-01-01T00:00:00Z';
const RECEIVER = 'market-data-api';

/**
 * The body of Alertmanager's webhook (version 4), one alert per message, so receivers written
 * for Alertmanager (chat bridges, paging tools) take ours unchanged.
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
export function alertmanagerMessage(alert: WebhookAlert) {
  const labels = { alertname: alert.alertname, severity: alert.severity, service: RECEIVER, ...alert.labels };
  const annotations = { summary: alert.summary, description: alert.description };
  return {
    version: '4',
    groupKey: `{}:{alertname="${alert.alertname}"}`,
    truncatedAlerts: 0,
    status: alert.status,
    receiver: RECEIVER,
    groupLabels: { alertname: alert.alertname },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [
      {
        status: alert.status,
        labels,
        annotations,
        startsAt: new Date(alert.startsAt).toISOString(),
        endsAt: alert.endsAt === null ? NO_END : new Date(alert.endsAt).toISOString(),
        generatorURL: '',
        fingerprint: alert.fingerprint,
      },
    ],
  };
}

const POST_TIMEOUT_MS = 5_000;

/** POSTs one message; throws with the status or network error (never the URL: it may hold a token). */
export async function postWebhook(url: string, message: unknown): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(`webhook unreachable (${cause ?? (error as Error).name})`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/** 1 s, 2 s, 4 s ... capped at 5 minutes: a receiver that is down gets the message when it returns. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts, 20));
}
