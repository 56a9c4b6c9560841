import { Injectable } from '@nestjs/common';
import { CandleSourceSelector, type ResolvedCandlesRequest, type ServedCandle, type ServedSource } from '@app/market-data';
import { barsBefore, type WarmUp } from './warm-up';

/** No cap on a range read: the range itself bounds it. */
const ALL_BARS = Number.MAX_SAFE_INTEGER;

/** Reads the bars before a page that the indicators' warm-ups need, from the source the page came from. */
@Injectable()
export class IndicatorHistory {
  constructor(private readonly sources: CandleSourceSelector) {}

  /** Oldest first: every bar from the earliest anchor to `pageStart`, and enough bars before it for every warm-up. */
  async before(
    resolved: ResolvedCandlesRequest,
    source: ServedSource,
    pageStart: number,
    warmUps: readonly WarmUp[],
  ): Promise<ServedCandle[]> {
    const { symbol, timeframe, session, asOf } = resolved;
    const earliest = Math.min(pageStart, ...warmUps.map((warmUp) => warmUp.anchor));
    const sinceEarliest =
      earliest < pageStart
        ? await this.sources.read(
            source,
            { symbol, timeframe: timeframe.value, start: earliest, end: pageStart, limit: ALL_BARS, order: 'asc' },
            session,
            asOf,
          )
        : [];
    // Bars between the earliest anchor and a later one already count towards the later one's warm-up.
    const count = Math.max(0, ...warmUps.map((warmUp) => warmUp.barsBefore - barsBefore(sinceEarliest, warmUp.anchor)));
    const older = await this.sources.readBefore(source, { symbol, timeframe: timeframe.value, before: earliest, count }, session, asOf);
    return [...older, ...sinceEarliest];
  }
}
