import { type CandleRangeQuery, Timeframe, type TimeRange } from '@app/core';
import { Injectable } from '@nestjs/common';
import type { SessionKind } from '@app/calendar';
import { DerivedCandleService } from '../derived/derived-candle.service';
import { CandleRepository } from './candle.repository';
import { CandleReadMetrics } from './candle-read.metrics';
import type { ServedCandle, ServedSource, SourceChoice } from './served-candle';

export interface SourceDecision {
  symbol: string;
  timeframe: Timeframe;
  choice: SourceChoice;
  /** Already normalised: 'regular' only for US stocks. */
  session: SessionKind;
  window: TimeRange;
  asOf: number;
}

/** Chooses native or derived bars for a request, and reads them with their completeness. */
@Injectable()
export class CandleSourceSelector {
  constructor(
    private readonly native: CandleRepository,
    private readonly derived: DerivedCandleService,
    private readonly metrics: CandleReadMetrics,
  ) {}

  /**
   * `auto` serves stored bars when they cover the whole window, or when there are no 1m bars
   * to derive from (partial stored bars beat none). Judged on the window, not the page, so
   * every page of one query comes from the same source while the store is unchanged.
   * Stored bars are not split by session, so the regular session is always derived.
   */
  async choose(decision: SourceDecision): Promise<ServedSource> {
    if (decision.choice !== 'auto') return decision.choice;
    if (decision.timeframe.value === '1m') return 'native';
    if (decision.session === 'regular') return 'derived';
    const { symbol, timeframe, window, asOf } = decision;
    const coverage = await this.derived.coverage(symbol, timeframe.value, window.start, window.end, asOf);
    const nativeIsComplete = coverage.storedExpectedBars === coverage.expectedBars;
    return nativeIsComplete || coverage.minuteBars === 0 ? 'native' : 'derived';
  }

  read(source: ServedSource, query: CandleRangeQuery, session: SessionKind, asOf: number): Promise<ServedCandle[]> {
    return this.metrics.timed(query.timeframe, source, () => this.readFrom(source, query, session, asOf));
  }

  private async readFrom(source: ServedSource, query: CandleRangeQuery, session: SessionKind, asOf: number): Promise<ServedCandle[]> {
    if (source === 'derived') return this.derived.derive({ ...query, session, asOf });
    // Native bars: complete once their window has ended (buckets partition time).
    const completeBefore = Timeframe.of(query.timeframe).bucketStart(asOf);
    const bars = await this.native.findRange(query);
    return bars.map((bar) => ({
      symbol: bar.symbol,
      timeframe: bar.timeframe,
      time: bar.time,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      vwap: bar.vwap,
      trades: bar.trades,
      isComplete: bar.time < completeBefore, // field by field, not spread: see CandleRepository.findRange
    }));
  }
}
