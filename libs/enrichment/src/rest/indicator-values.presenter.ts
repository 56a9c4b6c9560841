import { isoTime } from '@app/market-data';
import type { IndicatorColumn } from './indicator-columns';
import type { IndicatorPage } from './indicator-pages.service';
import type { IndicatorBarDto, IndicatorPageDto, IndicatorValueDto } from './indicator-page.dto';

/**
 * The JSON body: per bar its time, completeness and, under each indicator's canonical key, a
 * number for a one-output indicator or an object of its outputs; null where no value exists yet.
 */
export function toIndicatorPageBody({ candles, columns }: IndicatorPage): IndicatorPageDto {
  const bars = candles.bars.map((bar, i): IndicatorBarDto => ({
    time: isoTime(bar.time),
    isComplete: bar.isComplete,
    values: Object.fromEntries(columns.map((column) => [column.spec.key, valueAt(column, i)])),
  }));
  return {
    symbol: candles.symbol,
    timeframe: candles.timeframe.value,
    source: candles.source,
    start: isoTime(candles.window.start),
    end: isoTime(candles.window.end),
    indicators: columns.map((column) => column.spec.key),
    bars,
    nextCursor: candles.nextCursor,
  };
}

function valueAt(column: IndicatorColumn, i: number): IndicatorValueDto {
  if (column.outputs.length === 1) return numberOrNull(column.values[column.outputs[0]][i]);
  return Object.fromEntries(column.outputs.map((output) => [output, numberOrNull(column.values[output][i])]));
}

function numberOrNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
