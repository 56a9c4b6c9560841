import type { IndicatorValue, PageIndicators } from './candle-indicators';
import type { CandlePage } from './candles.service';
import { isoTime } from './iso-time';
import type { CandleBarDto, CandlesPageDto } from './candles-page.dto';

/** The JSON text of a page: what the candles route sends (and caches) as application/json. */
export function toCandlesPageJson(page: CandlePage, indicators?: PageIndicators): string {
  return JSON.stringify(toCandlesPageBody(page, indicators));
}

/**
 * The JSON body of a page: ISO times, numbers exactly as stored, the completeness flag,
 * and which source served it.
 * Plain objects for JSON.stringify, whose number printing is several times faster than
 * building the text by hand (measured on 50,000-bar pages).
 */
export function toCandlesPageBody(page: CandlePage, indicators?: PageIndicators): CandlesPageDto {
  const bars = new Array<CandleBarDto>(page.bars.length);
  for (let i = 0; i < page.bars.length; i++) {
    const bar = page.bars[i];
    bars[i] = {
      time: isoTime(bar.time),
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      vwap: bar.vwap,
      trades: bar.trades,
      isComplete: bar.isComplete,
    };
    if (indicators) bars[i].indicators = valuesAt(indicators, i);
  }
  return {
    symbol: page.symbol,
    timeframe: page.timeframe.value,
    source: page.source,
    start: isoTime(page.window.start),
    end: isoTime(page.window.end),
    bars,
    nextCursor: page.nextCursor,
  };
}

/** The bar's values by key (a plain loop: it runs once per bar). */
export function valuesAt(indicators: PageIndicators, bar: number): Record<string, IndicatorValue> {
  const values: Record<string, IndicatorValue> = {};
  for (let k = 0; k < indicators.keys.length; k++) values[indicators.keys[k]] = indicators.valueAt(k, bar);
  return values;
}
