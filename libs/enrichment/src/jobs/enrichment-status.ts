import { Injectable } from '@nestjs/common';
import { seriesTag } from '@app/cache';
import type { TimeframeValue } from '@app/core';
import { CandleChangeLog, CandleRepository, TrackedSymbolRepository, TrackedSymbolsService } from '@app/market-data';
import { EnrichmentSeriesRepository, type EnrichmentSeriesRow } from '../storage/enrichment-series.repository';
import { seriesExtentOf } from './series-extent';

/** One symbol and timeframe. */
export interface SeriesKey {
  symbol: string;
  timeframe: TimeframeValue;
}

/** One tracked series as GET /api/v1/enrichment/jobs shows it. */
export interface EnrichmentSeriesStatus extends SeriesKey {
  source: string | null;
  /** The oldest computed-through time over the series' indicators (Unix ms); null while any is not computed. */
  computedThrough: number | null;
  newestBar: number | null;
  /** Seconds between the newest stored bar and computedThrough (0 when caught up). */
  lagSeconds: number | null;
  /** Earliest bar written since the last run (Unix ms), when a run is due. */
  pendingFrom: number | null;
  indicators: EnrichmentSeriesRow[];
  /** Listed for the symbol but not computed yet. */
  missing: string[];
  /** Whether a job has something to do: a change, a missing indicator, values behind the bars or left over. */
  due: boolean;
}

/** Every tracked series' status, and the series whose stored values or marks no tracked series owns. */
export interface EnrichmentSurvey {
  series: EnrichmentSeriesStatus[];
  strays: SeriesKey[];
}

/** Reads the shared tables, so every instance answers the same; the catch-up pass acts on the same survey. */
@Injectable()
export class EnrichmentStatus {
  constructor(
    private readonly symbols: TrackedSymbolRepository,
    private readonly trackedSymbols: TrackedSymbolsService,
    private readonly changes: CandleChangeLog,
    private readonly series: EnrichmentSeriesRepository,
    private readonly candles: CandleRepository,
  ) {}

  async list(filter: Partial<SeriesKey> = {}): Promise<EnrichmentSeriesStatus[]> {
    return (await this.survey(filter)).series;
  }

  async survey(filter: Partial<SeriesKey> = {}): Promise<EnrichmentSurvey> {
    const [tracked, marks, rows] = await Promise.all([this.symbols.findAll(), this.changes.all(), this.series.all()]);
    const series: EnrichmentSeriesStatus[] = [];
    const listedBySeries = new Map<string, readonly string[]>();
    for (const symbol of tracked) {
      const listed = this.trackedSymbols.indicatorsOf(symbol);
      for (const timeframe of symbol.timeframes) {
        const key = { symbol: symbol.symbol, timeframe };
        listedBySeries.set(keyOf(key), listed);
        if ((filter.symbol ?? key.symbol) !== key.symbol || (filter.timeframe ?? timeframe) !== timeframe) continue;
        const indicators = rows.filter((row) => keyOf(row) === keyOf(key) && listed.includes(row.indicator));
        const mark = marks.find((m) => keyOf(m) === keyOf(key));
        series.push(
          statusOf(key, listed, indicators, mark?.changedFrom ?? null, await seriesExtentOf(this.candles, key.symbol, timeframe)),
        );
      }
    }
    const strays = new Map<string, SeriesKey>();
    for (const one of [...marks, ...rows]) {
      const listed = listedBySeries.get(keyOf(one));
      if (!listed || ('indicator' in one && !listed.includes(one.indicator))) strays.set(keyOf(one), one as SeriesKey);
    }
    return { series, strays: [...strays.values()] };
  }
}

/** One key per series (symbol, timeframe), as the cache's series versions name it. */
export const keyOf = (series: { symbol: string; timeframe: string }): string => seriesTag(series as SeriesKey);

function statusOf(
  key: SeriesKey,
  listed: readonly string[],
  indicators: EnrichmentSeriesRow[],
  pendingFrom: number | null,
  extent: { oldest: number; newest: number } | undefined,
): EnrichmentSeriesStatus {
  const missing = listed.filter((indicator) => !indicators.some((row) => row.indicator === indicator));
  const through = Math.min(...indicators.map((row) => row.computedThrough ?? -Infinity));
  const computedThrough = missing.length || !indicators.length || !Number.isFinite(through) ? null : through;
  const behind = extent
    ? indicators.some((row) => (row.computedThrough ?? -Infinity) < extent.newest)
    : indicators.some((row) => row.computedThrough !== null);
  return {
    ...key,
    source: indicators[0]?.source ?? null,
    computedThrough,
    newestBar: extent?.newest ?? null,
    lagSeconds: extent ? Math.max(0, extent.newest - (computedThrough ?? extent.oldest)) / 1000 : null,
    pendingFrom,
    indicators,
    missing,
    due: pendingFrom !== null || missing.length > 0 || behind,
  };
}
