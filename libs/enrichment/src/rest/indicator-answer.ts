import type { CandleFormat } from '@app/market-data';
import type { IndicatorPage } from './indicator-pages.service';
import { toIndicatorCsv } from './indicator-values.csv';
import { toIndicatorPageBody } from './indicator-values.presenter';

/** What the indicators route sends, before content coding. */
export interface IndicatorAnswer {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/** Computed per request, never stored: says so, and is not cached (the candles answer cache does not cover it yet). */
export function renderIndicatorAnswer(page: IndicatorPage, format: CandleFormat): IndicatorAnswer {
  const { candles } = page;
  const headers: Record<string, string> = {
    'X-Indicator-Source': 'computed',
    'X-Candle-Source': candles.source,
    'Cache-Control': 'no-cache',
    Vary: 'Accept-Encoding',
  };
  if (candles.nextCursor) headers['X-Next-Cursor'] = candles.nextCursor;
  if (format === 'csv') {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    headers['Content-Disposition'] =
      `inline; filename="${candles.symbol.replace(/[^A-Z0-9.]/g, '_')}-${candles.timeframe.value}-indicators.csv"`;
    return { body: Buffer.from(toIndicatorCsv(page)), headers };
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return { body: Buffer.from(JSON.stringify(toIndicatorPageBody(page))), headers };
}
