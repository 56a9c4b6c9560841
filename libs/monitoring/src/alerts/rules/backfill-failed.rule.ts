import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import type { AlertCondition, AlertRule } from '../alert';

const SYMBOLS_NAMED = 5;

/** Any backfill job in state failed, one alert per timeframe: a 1m failure shows as `timeframe="1m"`. */
@Injectable()
export class BackfillFailedRule implements AlertRule {
  readonly name = 'BackfillFailed';
  readonly description = 'A backfill job gave up after BACKFILL_MAX_ATTEMPTS failed runs; labelled by timeframe';
  readonly severity = 'warning';

  constructor(private readonly database: DatabaseService) {}

  async conditions(): Promise<AlertCondition[]> {
    const rows = await this.database.query<{ timeframe: string; jobs: number; symbols: string[]; last_error: string | null }>(
      `SELECT timeframe, count(*)::int AS jobs, (array_agg(symbol ORDER BY symbol))[1:${SYMBOLS_NAMED}] AS symbols,
              (array_agg(last_error ORDER BY updated_at DESC))[1] AS last_error
       FROM backfill_checkpoints WHERE state = 'failed' GROUP BY timeframe ORDER BY timeframe`,
    );
    return rows.map((row) => ({
      labels: { timeframe: row.timeframe },
      value: row.jobs,
      summary:
        `${row.jobs} ${row.timeframe} backfill job(s) failed (${row.symbols.join(', ')}${row.jobs > row.symbols.length ? ', ...' : ''})` +
        (row.last_error ? `: ${row.last_error}` : ''),
    }));
  }
}
