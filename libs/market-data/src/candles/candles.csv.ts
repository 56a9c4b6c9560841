import type { PageIndicators } from './candle-indicators';
import type { CandlePage } from './candles.service';
import { isoTime } from './iso-time';

export const CSV_HEADER = 'time,open,high,low,close,volume,vwap,trades,isComplete';

/**
 * RFC 4180 CSV for spreadsheets and pandas: one header row, ISO times, numbers in
 * shortest round-trip form (bit-exact when parsed as doubles), empty cells for unknown
 * vwap/trades; with `indicators=`, one more column per indicator output after isComplete. No field can
 * hold a comma or quote, so nothing needs quoting.
 */
export function toCandlesCsv(page: CandlePage, indicators?: PageIndicators): string {
  const lines = new Array<string>(page.bars.length + 1);
  lines[0] = indicators ? [CSV_HEADER, ...indicators.csvHeader].join(',') : CSV_HEADER;
  for (let i = 0; i < page.bars.length; i++) {
    const bar = page.bars[i];
    lines[i + 1] =
      `${isoTime(bar.time)},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume},` +
      `${bar.vwap ?? ''},${bar.trades ?? ''},${bar.isComplete}`;
    if (indicators) lines[i + 1] += `,${indicators.csvCells(i).join(',')}`;
  }
  return lines.join('\r\n') + '\r\n';
}
