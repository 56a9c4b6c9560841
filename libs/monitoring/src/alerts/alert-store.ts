import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import type { AlertLabels } from './alert';

/** An alert pending or firing now (a row of alert_states). */
export interface ActiveAlert {
  fingerprint: string;
  alertname: string;
  labels: AlertLabels;
  state: 'pending' | 'firing';
  summary: string;
  value: number | null;
  activeSince: number;
  firedAt: number | null;
}

/** A firing or resolution (a row of alert_events), with its webhook's delivery. */
export interface AlertEvent {
  id: string;
  fingerprint: string;
  alertname: string;
  labels: AlertLabels;
  status: 'firing' | 'resolved';
  summary: string;
  value: number | null;
  startsAt: number;
  endsAt: number | null;
  createdAt: number;
  notify: boolean;
  notifiedAt: number | null;
  attempts: number;
  lastError: string | null;
}

export type NewAlertEvent = Pick<
  AlertEvent,
  'fingerprint' | 'alertname' | 'labels' | 'status' | 'summary' | 'value' | 'startsAt' | 'endsAt' | 'notify'
> & {
  notifiedAt?: number;
};

interface StateRow {
  fingerprint: string;
  alertname: string;
  labels: AlertLabels;
  state: 'pending' | 'firing';
  summary: string;
  value: number | null;
  active_since: Date;
  fired_at: Date | null;
}

interface EventRow {
  id: string;
  fingerprint: string;
  alertname: string;
  labels: AlertLabels;
  status: 'firing' | 'resolved';
  summary: string;
  value: number | null;
  starts_at: Date;
  ends_at: Date | null;
  created_at: Date;
  notify: boolean;
  notified_at: Date | null;
  attempts: number;
  last_error: string | null;
}

const UPSERT_STATE = `INSERT INTO alert_states (fingerprint, alertname, labels, state, summary, value, active_since, fired_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (fingerprint) DO UPDATE SET state = EXCLUDED.state, summary = EXCLUDED.summary, value = EXCLUDED.value,
    fired_at = EXCLUDED.fired_at, updated_at = EXCLUDED.updated_at`;

const EVENT_COLUMNS =
  'fingerprint, alertname, labels, status, summary, value, starts_at, ends_at, created_at, notify, notified_at, next_attempt_at';
const EVENT_TYPES = [
  'text',
  'text',
  'jsonb',
  'text',
  'text',
  'float8',
  'timestamptz',
  'timestamptz',
  'timestamptz',
  'boolean',
  'timestamptz',
  'timestamptz',
];

/** The INSERT of one event whose parameters (eventParameters) start at $`first`; `from` gates it on a CTE's row. */
function insertEvent(first: number, from?: string): string {
  const values = EVENT_TYPES.map((type, i) => `$${first + i}::${type}`).join(', ');
  return `INSERT INTO alert_events (${EVENT_COLUMNS}) SELECT ${values}${from ? ` FROM ${from}` : ''}`;
}

function stateParameters(alert: ActiveAlert, now: number): unknown[] {
  return [
    alert.fingerprint,
    alert.alertname,
    JSON.stringify(alert.labels),
    alert.state,
    alert.summary,
    alert.value,
    new Date(alert.activeSince),
    alert.firedAt === null ? null : new Date(alert.firedAt),
    new Date(now),
  ];
}

/** In EVENT_COLUMNS order; created now, and its webhook (if owed) due now. */
function eventParameters(event: NewAlertEvent, now: number): unknown[] {
  return [
    event.fingerprint,
    event.alertname,
    JSON.stringify(event.labels),
    event.status,
    event.summary,
    event.value,
    new Date(event.startsAt),
    event.endsAt === null ? null : new Date(event.endsAt),
    new Date(now),
    event.notify,
    event.notifiedAt === undefined ? null : new Date(event.notifiedAt),
    new Date(now),
  ];
}

const ms = (at: Date | string | null): number | null => (at === null ? null : new Date(at).getTime());

/** alert_states and alert_events: what is active now, the history, and the webhook outbox. */
@Injectable()
export class AlertStore {
  constructor(private readonly database: DatabaseService) {}

  async active(): Promise<ActiveAlert[]> {
    const rows = await this.database.query<StateRow>('SELECT * FROM alert_states ORDER BY active_since, fingerprint');
    return rows.map((row) => ({
      fingerprint: row.fingerprint,
      alertname: row.alertname,
      labels: row.labels,
      state: row.state,
      summary: row.summary,
      value: row.value,
      activeSince: ms(row.active_since) as number,
      firedAt: ms(row.fired_at),
    }));
  }

  /** A pending alert, or a firing one's new value and summary. */
  async saveActive(alert: ActiveAlert, now: number): Promise<void> {
    await this.database.execute(UPSERT_STATE, stateParameters(alert, now));
  }

  /** A pending alert that cleared before it fired: nothing to tell anyone. */
  async removeActive(fingerprint: string): Promise<void> {
    await this.database.execute('DELETE FROM alert_states WHERE fingerprint = $1', [fingerprint]);
  }

  /** Pending -> firing and its event, in one statement: a crash leaves neither or both. */
  async fire(alert: ActiveAlert, event: NewAlertEvent, now: number): Promise<void> {
    await this.database.execute(`WITH state AS (${UPSERT_STATE} RETURNING 1) ${insertEvent(10)}`, [
      ...stateParameters(alert, now),
      ...eventParameters(event, now),
    ]);
  }

  /** Firing -> resolved: the state goes and its event is written, in one statement, once. */
  async resolve(fingerprint: string, event: NewAlertEvent, now: number): Promise<void> {
    await this.database.execute(`WITH gone AS (DELETE FROM alert_states WHERE fingerprint = $1 RETURNING 1) ${insertEvent(2, 'gone')}`, [
      fingerprint,
      ...eventParameters(event, now),
    ]);
  }

  /** An event decided elsewhere (the database outage, noticed while it could not be written). */
  async record(event: NewAlertEvent, now: number): Promise<void> {
    await this.database.execute(insertEvent(1), eventParameters(event, now));
  }

  async recent(limit: number): Promise<AlertEvent[]> {
    const rows = await this.database.query<EventRow>('SELECT * FROM alert_events ORDER BY created_at DESC, id DESC LIMIT $1', [limit]);
    return rows.map(eventOf);
  }

  /**
   * Claims up to `limit` owed webhooks whose next attempt is due, pushing their next attempt
   * `leaseMs` ahead so no other instance takes them meanwhile (SKIP LOCKED: instances never wait on each other).
   */
  async claimOwed(now: number, leaseMs: number, limit: number): Promise<AlertEvent[]> {
    const rows = await this.database.query<EventRow>(
      `UPDATE alert_events SET next_attempt_at = $2
       WHERE id IN (
         SELECT id FROM alert_events
         WHERE notify AND notified_at IS NULL AND next_attempt_at <= $1
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [new Date(now), new Date(now + leaseMs), limit],
    );
    return rows.map(eventOf).sort((a, b) => Number(a.id) - Number(b.id));
  }

  async markNotified(id: string, now: number): Promise<void> {
    await this.database.execute('UPDATE alert_events SET notified_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [
      id,
      new Date(now),
    ]);
  }

  async markFailed(id: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.database.execute('UPDATE alert_events SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1', [
      id,
      new Date(nextAttemptAt),
      error,
    ]);
  }

  /** History older than `cutoff` whose webhook is settled (delivered, or never owed). */
  async pruneBefore(cutoff: number): Promise<void> {
    await this.database.execute('DELETE FROM alert_events WHERE created_at < $1 AND (NOT notify OR notified_at IS NOT NULL)', [
      new Date(cutoff),
    ]);
  }

  async postpone(ids: string[], nextAttemptAt: number): Promise<void> {
    if (!ids.length) return;
    await this.database.execute('UPDATE alert_events SET next_attempt_at = $2 WHERE id = ANY($1::bigint[])', [
      ids,
      new Date(nextAttemptAt),
    ]);
  }
}

function eventOf(row: EventRow): AlertEvent {
  return {
    id: String(row.id),
    fingerprint: row.fingerprint,
    alertname: row.alertname,
    labels: row.labels,
    status: row.status,
    summary: row.summary,
    value: row.value,
    startsAt: ms(row.starts_at) as number,
    endsAt: ms(row.ends_at),
    createdAt: ms(row.created_at) as number,
    notify: row.notify,
    notifiedAt: ms(row.notified_at),
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
