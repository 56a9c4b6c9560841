import type { DerivableTimeframe } from './derived-candle';

/**
 * The continuous aggregates created by migration 1764000000100 (TimescaleDB only), one per
 * derivable timeframe, listed parents first: a refresh must run in this order so that each
 * level rolls up an already refreshed level below it.
 */
export const AGGREGATE_VIEWS: ReadonlyArray<{ timeframe: DerivableTimeframe; view: string }> = [
  { timeframe: '5m', view: 'market_data_5m' },
  { timeframe: '15m', view: 'market_data_15m' },
  { timeframe: '30m', view: 'market_data_30m' },
  { timeframe: '1h', view: 'market_data_1h' },
  { timeframe: '4h', view: 'market_data_4h' },
  { timeframe: '1d', view: 'market_data_1d' },
  { timeframe: '1w', view: 'market_data_1w' },
];

export function aggregateViewOf(timeframe: DerivableTimeframe): string {
  const entry = AGGREGATE_VIEWS.find((candidate) => candidate.timeframe === timeframe);
  if (!entry) throw new Error(`no continuous aggregate for ${timeframe}`);
  return entry.view;
}
