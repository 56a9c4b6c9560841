import { Injectable } from '@nestjs/common';
import { tradingWindows } from '@app/calendar';
import { AppConfigService } from '@app/config';
import { formatDuration } from '@app/core';
import { DatabaseService } from '@app/database';
import { IngestionStatus } from '@app/ingestion';
import { TrackedSymbolRepository } from '@app/market-data';
import type { AlertCondition, AlertRule } from '../alert';
import { AlertsMetrics } from '../alerts.metrics';

const SYMBOLS_NAMED = 5;

/**
 * The newest 1m bar of a tracked symbol is older than ALERT_STALE_AFTER although its market
 * (regular session for stocks, around the clock for crypto) has been open for all of that
 * time. Only while ingestion is on: without a provider key nothing can be fresh, and /health says so.
 */
@Injectable()
export class MarketDataStaleRule implements AlertRule {
  readonly name = 'MarketDataStale';
  readonly description = 'The newest 1m bar of a tracked symbol is older than ALERT_STALE_AFTER while its market is open';
  readonly severity = 'warning';

  constructor(
    private readonly database: DatabaseService,
    private readonly symbols: TrackedSymbolRepository,
    private readonly ingestion: IngestionStatus,
    private readonly config: AppConfigService,
    private readonly metrics: AlertsMetrics,
  ) {}

  async conditions(now: number): Promise<AlertCondition[]> {
    const staleAfter = this.config.get('ALERT_STALE_AFTER');
    const since = now - staleAfter;
    const watched = this.ingestion.enabled
      ? (await this.symbols.findAll()).filter(
          (s) => s.active && s.timeframes.includes('1m') && s.createdAt <= since && openThroughout(s.symbol, since, now),
        )
      : [];
    const newest = await this.newestMinuteBars(watched.map((s) => s.symbol));
    const stale = watched.filter((s) => (newest.get(s.symbol) ?? -Infinity) < since).map((s) => s.symbol);
    this.metrics.setStale(stale.length);
    if (!stale.length) return [];
    const named = stale.slice(0, SYMBOLS_NAMED).map((symbol) => {
      const at = newest.get(symbol);
      return at === undefined ? `${symbol} (no 1m bars)` : `${symbol} (newest ${new Date(at).toISOString()})`;
    });
    return [
      {
        labels: { timeframe: '1m' },
        value: stale.length,
        summary: `${stale.length} tracked symbol(s) have no 1m bar in the last ${formatDuration(staleAfter)} while their market is open: ${named.join(', ')}${stale.length > named.length ? ', ...' : ''}`,
      },
    ];
  }

  /** Newest 1m bar time per symbol: one index probe each (the primary key ends with time). */
  private async newestMinuteBars(symbols: string[]): Promise<Map<string, number>> {
    if (!symbols.length) return new Map();
    const rows = await this.database.query<{ symbol: string; newest: Date | null }>(
      `SELECT s.symbol, (SELECT max(time) FROM market_data m WHERE m.symbol = s.symbol AND m.timeframe = '1m') AS newest
       FROM unnest($1::text[]) AS s(symbol)`,
      [symbols],
    );
    return new Map(rows.filter((row) => row.newest).map((row) => [row.symbol, new Date(row.newest as Date).getTime()]));
  }
}

/** The market was open for the whole of [from, to): a bar was due in every minute of it. */
function openThroughout(symbol: string, from: number, to: number): boolean {
  const windows = tradingWindows(symbol, new Date(from), new Date(to), 'regular');
  return windows.length === 1 && windows[0].start.getTime() <= from && windows[0].end.getTime() >= to;
}
