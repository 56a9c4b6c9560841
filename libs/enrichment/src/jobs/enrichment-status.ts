import { Injectable } from '@nestjs/common';
import type { TimeframeValue } from '@app/core';
import { CandleChangeLog, TrackedSymbolRepository, TrackedSymbolsService } from '@app/market-data';
import { EnrichmentSeriesRepository, type EnrichmentSeriesRow } from '../storage/enrichment-series.repository';
import { EnrichmentJob } from './enrichment-job';

/** One tracked series as GET /api/v1/enrichment/jobs shows it. */
export interface EnrichmentSeriesStatus {
  symbol: string;
  timeframe: TimeframeValue;
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
}

/** Reads the shared tables, so every instance answers the same. */
@Injectable()
export class EnrichmentStatus {
  constructor(
    private readonly symbols: TrackedSymbolRepository,
    private readonly trackedSymbols: TrackedSymbolsService,
    private readonly changes: CandleChangeLog,
    private readonly series: EnrichmentSeriesRepository,
    private readonly job: EnrichmentJob,
  ) {}

  async list(filter: { symbol?: string; timeframe?: TimeframeValue } = {}): Promise<EnrichmentSeriesStatus[]> {
    const [tracked, marks, rows] = await Promise.all([this.symbols.findAll(), this.changes.all(), this.series.all()]);
    const statuses: EnrichmentSeriesStatus[] = [];
    for (const symbol of tracked) {
      if (filter.symbol !== undefined && symbol.symbol !== filter.symbol) continue;
      const listed = this.trackedSymbols.indicatorsOf(symbol);
      for (const timeframe of symbol.timeframes) {
        if (filter.timeframe !== undefined && timeframe !== filter.timeframe) continue;
        const indicators = rows.filter(
          (row) => row.symbol === symbol.symbol && row.timeframe === timeframe && listed.includes(row.indicator),
        );
        const missing = listed.filter((key) => !indicators.some((row) => row.indicator === key));
        const extent = await this.job.extentOf(symbol.symbol, timeframe);
        const through =
          missing.length || !indicators.length ? null : Math.min(...indicators.map((row) => row.computedThrough ?? -Infinity));
        const computedThrough = through === null || !Number.isFinite(through) ? null : through;
        const mark = marks.find((m) => m.symbol === symbol.symbol && m.timeframe === timeframe);
        statuses.push({
          symbol: symbol.symbol,
          timeframe,
          source: indicators[0]?.source ?? null,
          computedThrough,
          newestBar: extent?.newest ?? null,
          lagSeconds: extent ? Math.max(0, extent.newest - (computedThrough ?? extent.oldest)) / 1000 : null,
          pendingFrom: mark?.changedFrom ?? null,
          indicators,
          missing,
        });
      }
    }
    return statuses;
  }
}
