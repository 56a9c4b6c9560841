import { type CandleRangeQuery, DAY_MS, Timeframe, type TimeframeValue, type TimeRange } from '@app/core';
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

/** The bars just before a time: the history an indicator warms up on. */
export interface BarsBeforeQuery {
  symbol: string;
  timeframe: TimeframeValue;
  /** Exclusive, Unix ms. */
  before: number;
  count: number;
}

/**
 * How many times `count` bar durations the first reads reach back: about 2x covers nights and
 * weekends of the extended stock session, 8x the regular session's 6.5 hours a weekday.
 */
const LOOKBACK_SPANS = [2, 8] as const;

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

  /**
   * The `count` bars of `source` just before `before`, oldest first (fewer when history runs
   * out). Reads a span that usually holds them, then a wider one, then back to the oldest
   * stored bar: a derived read costs what its range holds, so it is not opened to all time at once.
   */
  async readBefore(source: ServedSource, query: BarsBeforeQuery, session: SessionKind, asOf: number): Promise<ServedCandle[]> {
    const { symbol, timeframe, before, count } = query;
    if (count <= 0) return [];
    const read = (start: number) =>
      this.read(source, { symbol, timeframe, start, end: before, limit: count, order: 'desc' }, session, asOf);
    const frame = Timeframe.of(timeframe);
    const barSpan = count * frame.durationMs;
    let start = before;
    let bars: ServedCandle[] = [];
    for (const spans of LOOKBACK_SPANS) {
      start = before - spans * barSpan - 7 * DAY_MS;
      bars = await read(start);
      if (bars.length === count) return bars.reverse();
    }
    const oldest = await this.native.oldestBarTime(symbol, source === 'derived' ? '1m' : timeframe);
    // From the bucket the oldest bar falls in: a derived read starts at the first whole bucket.
    if (oldest !== null && oldest < start) bars = await read(frame.bucketStart(oldest));
    return bars.reverse();
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
