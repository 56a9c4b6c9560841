import { isoTime } from '@app/market-data';
import type { IndicatorColumn } from './indicator-columns';
import type { IndicatorPage } from './indicator-pages.service';

/**
 * RFC 4180 CSV like /candles': time, one column per output (`sma:20`, or `macd:12:26:9.signal`
 * for an indicator with several), then isComplete; an empty cell where no value exists yet.
 * Keys hold no comma or quote, so nothing needs quoting.
 */
export function toIndicatorCsv({ candles, columns }: IndicatorPage): string {
  const cells = columns.flatMap((column) =>
    column.outputs.map((output) => ({ name: headerOf(column, output), values: column.values[output] })),
  );
  const lines = new Array<string>(candles.bars.length + 1);
  lines[0] = ['time', ...cells.map((cell) => cell.name), 'isComplete'].join(',');
  for (let i = 0; i < candles.bars.length; i++) {
    const bar = candles.bars[i];
    const values = cells.map((cell) => (Number.isNaN(cell.values[i]) ? '' : String(cell.values[i])));
    lines[i + 1] = [isoTime(bar.time), ...values, String(bar.isComplete)].join(',');
  }
  return lines.join('\r\n') + '\r\n';
}

function headerOf(column: IndicatorColumn, output: string): string {
  return column.outputs.length === 1 ? column.spec.key : `${column.spec.key}.${output}`;
}
