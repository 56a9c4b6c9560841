import { Injectable } from '@nestjs/common';
import type { CandleIndicators, CandlePage, IndicatorValue, PageIndicators, ResolvedCandlesRequest } from '@app/market-data';
import type { IndicatorColumn } from './indicator-columns';
import { IndicatorPages } from './indicator-pages.service';

/** CANDLE_INDICATORS for the candle answers: `indicators=` on /candles and the /indicators route itself. */
@Injectable()
export class CandleIndicatorsAdapter implements CandleIndicators {
  constructor(private readonly pages: IndicatorPages) {}

  canonical(indicators: string): string {
    return this.pages
      .specsOf(indicators)
      .map((spec) => spec.key)
      .join(',');
  }

  async over(resolved: ResolvedCandlesRequest, page: CandlePage, indicators: string): Promise<PageIndicators> {
    return pageIndicatorsOf(await this.pages.columnsOver(resolved, page, this.pages.specsOf(indicators)));
  }
}

/** Columns as the answers print them: a number, or an object by output name; null (empty in CSV) where NaN. */
export function pageIndicatorsOf(columns: readonly IndicatorColumn[]): PageIndicators {
  const cells = columns.flatMap((column) => column.outputs.map((output) => column.values[output]));
  // Per column, its outputs' arrays in order: the per-bar objects are built with plain loops (a 1m day is 960 of them).
  const arrays = columns.map((column) => column.outputs.map((output) => column.values[output]));
  return {
    keys: columns.map((column) => column.spec.key),
    origins: Object.fromEntries(columns.map((column) => [column.spec.key, column.origin])),
    valueAt(k: number, bar: number): IndicatorValue {
      const outputs = columns[k].outputs;
      const values = arrays[k];
      if (outputs.length === 1) return numberOrNull(values[0][bar]);
      const value: Record<string, number | null> = {};
      for (let o = 0; o < outputs.length; o++) value[outputs[o]] = numberOrNull(values[o][bar]);
      return value;
    },
    csvHeader: columns.flatMap((column) =>
      column.outputs.map((output) => (column.outputs.length === 1 ? column.spec.key : `${column.spec.key}.${output}`)),
    ),
    csvCells: (bar: number) => cells.map((values) => (Number.isNaN(values[bar]) ? '' : String(values[bar]))),
  };
}

function numberOrNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
