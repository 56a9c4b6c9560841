import type { AlertName } from '@app/config';
import type { AlertRule } from './alert';

/** Every rule evaluated from the shared database (DatabaseUnreachable is watched by each instance: see DatabaseOutageAlert). */
export const ALERT_RULES = Symbol('ALERT_RULES');

export const DATABASE_UNREACHABLE: { name: AlertName; description: string; severity: AlertRule['severity'] } = {
  name: 'DatabaseUnreachable',
  description: 'The database does not answer: candles are not served and nothing is ingested',
  severity: 'critical',
};
