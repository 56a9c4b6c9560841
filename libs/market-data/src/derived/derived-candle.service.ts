import { Injectable, Logger } from '@nestjs/common';
import { assetClassOf, iso, Timeframe, type TimeframeValue, type TimeRange } from '@app/core';
import { tradingWindows, type SessionKind } from '@app/calendar';
import { SeriesVersions } from '@app/cache';
import { AGGREGATE_VIEWS, aggregateViewOf } from './aggregate-views';
import { BucketCompleteness } from './bucket-completeness';
import {
  type CandleCoverage,
  type DerivationMethod,
  type DeriveQuery,
  type DerivedCandle,
  NotDerivableTimeframeError,
  isDerivableTimeframe,
} from './derived-candle';
import { CandleRepository } from '../candles/candle.repository';
import { CandleChangeLog } from '../changes/candle-change-log';
import { DerivedCandleRepository } from './derived-candle.repository';
import { expectedBucketStarts } from './expected-buckets';
import type { BucketRange, RolledUpBar } from './rolled-up-bar';

/**
 * Higher timeframes from stored 1m bars, aligned like the provider's (README "Timeframes and bar times").
 *
 * TimescaleDB: continuous aggregates (real-time, so the newest bucket is included).
 * PostgreSQL, and the regular session on either engine (an aggregate cannot know the
 * trading calendar): the same rollup computed from 1m rows at query time.
 */
@Injectable()
export class DerivedCandleService {
  private readonly logger = new Logger(DerivedCandleService.name);

  constructor(
    private readonly aggregates: DerivedCandleRepository,
    private readonly candles: CandleRepository,
    private readonly versions: SeriesVersions,
    private readonly changes: CandleChangeLog,
  ) {}

  /** How derive() will answer this query on the connected engine. */
  methodFor(query: Pick<DeriveQuery, 'symbol' | 'session'>): DerivationMethod {
    const usesAggregate = this.aggregates.hasContinuousAggregates && sessionOf(query.symbol, query.session) === 'extended';
    return usesAggregate ? 'continuous-aggregate' : 'query-time';
  }

  /** Derived bars whose bucket starts in [start, end), each flagged complete or not. */
  async derive(query: DeriveQuery): Promise<DerivedCandle[]> {
    const { symbol, timeframe } = query;
    if (!isDerivableTimeframe(timeframe)) throw new NotDerivableTimeframeError(timeframe);
    const frame = Timeframe.of(timeframe);
    const session = sessionOf(symbol, query.session);
    const range: BucketRange = {
      symbol,
      start: frame.firstBucketAtOrAfter(query.start),
      // Rounded up so the last bucket that starts before `end` gets all of its 1m bars.
      end: frame.firstBucketAtOrAfter(query.end),
      limit: query.limit,
      order: query.order ?? 'asc',
    };
    if (range.start >= range.end || range.limit <= 0) return [];

    // Only the extended stock session asks how far the 1m feed has come (see bucket-completeness.ts).
    const needsFeedHead = session === 'extended' && assetClassOf(symbol) === 'stocks';
    const [bars, newestMinuteBar] = await Promise.all([
      this.methodFor({ symbol, session }) === 'continuous-aggregate'
        ? this.aggregates.readAggregate(aggregateViewOf(timeframe), range)
        : this.candles.rollUpMinutes(timeframe, range, session === 'regular' ? regularSessionRanges(symbol, range) : undefined),
      needsFeedHead ? this.candles.newestBarTime(symbol, '1m') : null,
    ]);

    const completeness = new BucketCompleteness(symbol, session, range, query.asOf ?? Date.now(), newestMinuteBar);
    return bars.map((bar) => {
      const isComplete = completeness.isComplete(bar.time, frame.nextBucketStart(bar.time), bar.tally);
      return toDerivedCandle(symbol, timeframe, bar, isComplete);
    });
  }

  /** What is stored for [start, end) in `timeframe` and in 1m: the facts behind source=auto. */
  async coverage(symbol: string, timeframe: TimeframeValue, start: number, end: number, asOf = Date.now()): Promise<CandleCoverage> {
    const expected = expectedBucketStarts(symbol, Timeframe.of(timeframe), start, end, asOf);
    const [storedExpectedBars, minuteBars] = await Promise.all([
      this.candles.countStoredAt(symbol, timeframe, expected),
      this.candles.countMinuteBars(symbol, { start, end }),
    ]);
    return { symbol, timeframe, start, end, expectedBars: expected.length, storedExpectedBars, minuteBars };
  }

  /**
   * Call after every committed write of 1m bars in [fromMs, toMs). Real-time aggregation only
   * covers buckets newer than each aggregate's watermark (one per view, shared by all
   * symbols), so bars written below it (a backfill, a revision, a late bar in a bucket that
   * has closed) stay invisible or stale until refreshed. Refreshes every level, parents first,
   * over the touched buckets but never the open bucket, which real-time aggregation serves:
   * after a live write that is a few tiny refreshes (no refresh on plain PostgreSQL, where
   * derived bars are computed per read). Then marks the derived series changed from the bucket
   * the write starts in, so their indicators are recomputed over bars already refreshed.
   * Aggregates cover all symbols; `symbol` names the series whose cached answers are dropped.
   */
  async refreshAfterWrite(symbol: string, fromMs: number, toMs: number, now = Date.now()): Promise<void> {
    if (fromMs >= toMs) return;
    if (this.aggregates.hasContinuousAggregates) {
      for (const { timeframe, view } of AGGREGATE_VIEWS) {
        const frame = Timeframe.of(timeframe);
        const span: TimeRange = {
          start: frame.bucketStart(fromMs),
          end: Math.min(frame.nextBucketStart(toMs - 1), frame.bucketStart(now)),
        };
        if (span.start < span.end) await this.aggregates.refreshAggregate(view, span);
      }
      // Answers read between the 1m write and this refresh saw the aggregates' old rows.
      await this.versions.bump(AGGREGATE_VIEWS.map(({ timeframe }) => ({ symbol, timeframe })));
      this.logger.debug(`refreshed derived candles after a write of ${symbol} 1m bars in [${iso(fromMs)}, ${iso(toMs)})`);
    }
    await this.changes.mark(
      AGGREGATE_VIEWS.map(({ timeframe }) => ({ symbol, timeframe, changedFrom: Timeframe.of(timeframe).bucketStart(fromMs) })),
    );
  }
}

/** Sessions are a US-stock notion; every other market is read whole, as the aggregates hold it. */
function sessionOf(symbol: string, requested: SessionKind | undefined): SessionKind {
  return assetClassOf(symbol) === 'stocks' ? (requested ?? 'extended') : 'extended';
}

function regularSessionRanges(symbol: string, range: BucketRange): TimeRange[] {
  return tradingWindows(symbol, new Date(range.start), new Date(range.end), 'regular').map((w) => ({
    start: w.start.getTime(),
    end: w.end.getTime(),
  }));
}

function toDerivedCandle(symbol: string, timeframe: TimeframeValue, bar: RolledUpBar, isComplete: boolean): DerivedCandle {
  return {
    symbol,
    timeframe,
    time: bar.time,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    vwap: bar.vwap,
    trades: bar.trades,
    isComplete,
    minuteBars: bar.tally.minuteBars,
  };
}
