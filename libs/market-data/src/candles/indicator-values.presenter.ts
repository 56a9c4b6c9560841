import type { PageIndicators } from './candle-indicators';
import type { CandlePage } from './candles.service';
import { valuesAt } from './candles-page.presenter';
import { isoTime } from './iso-time';

/**
 * The JSON body of /indicators: per bar its time, completeness and, under each indicator's
 * canonical key, its value; plus which values were stored and which computed.
 */
export function toIndicatorPageJson(page: CandlePage, indicators: PageIndicators): string {
  const bars = page.bars.map((bar, i) => ({
    time: isoTime(bar.time),
    isComplete: bar.isComplete,
    values: valuesAt(indicators, i),
  }));
  return JSON.stringify({
    symbol: page.symbol,
    timeframe: page.timeframe.value,
    source: page.source,
    start: isoTime(page.window.start),
    end: isoTime(page.window.end),
    indicators: indicators.keys,
    origins: indicators.origins,
    bars,
    nextCursor: page.nextCursor,
  });
}

/**
 * RFC 4180 CSV like /candles': time, one column per output (`sma:20`, or `macd:12:26:9.signal`
 * for an indicator with several), then isComplete; an empty cell where no value exists yet.
 * Keys hold no comma or quote, so nothing needs quoting.
 */
export function toIndicatorCsv(page: CandlePage, indicators: PageIndicators): string {
  const lines = new Array<string>(page.bars.length + 1);
  lines[0] = ['time', ...indicators.csvHeader, 'isComplete'].join(',');
  for (let i = 0; i < page.bars.length; i++) {
    const bar = page.bars[i];
    lines[i + 1] = [isoTime(bar.time), ...indicators.csvCells(i), String(bar.isComplete)].join(',');
  }
  return lines.join('\r\n') + '\r\n';
}
