import { createHash } from 'node:crypto';
import type { AlertName } from '@app/config';

export type AlertLabels = Readonly<Record<string, string>>;

/** One condition a rule sees now: the alert it would raise, with its labels and the measured value. */
export interface AlertCondition {
  labels: AlertLabels;
  /** What was measured (seconds, a ratio, a count); null when the condition is a fact, not a number. */
  value: number | null;
  /** One sentence for a person: what is wrong, with the numbers. */
  summary: string;
}

/** A built-in alert: asked at every evaluation which of its conditions hold now. */
export interface AlertRule {
  readonly name: AlertName;
  /** Short description for the API and the webhook's annotations. */
  readonly description: string;
  readonly severity: 'warning' | 'critical';
  conditions(now: number): Promise<AlertCondition[]>;
}

/** The same alert, whichever instance evaluates it: its name and labels, hashed (as Alertmanager's fingerprint). */
export function fingerprintOf(alertname: string, labels: AlertLabels): string {
  const canonical = JSON.stringify([
    alertname,
    ...Object.keys(labels)
      .sort()
      .map((key) => [key, labels[key]]),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
