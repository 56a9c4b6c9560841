import { Injectable } from '@nestjs/common';
import { Timeframe, type TimeframeValue, type TimeRange } from '@app/core';
import { CandleSourceSelector, type ServedSource } from '@app/market-data';
import type { BarReader } from './aggregate-pager';
import type { AggregateCursor } from './aggregate-cursor';
import type { AggregateSpan } from './aggregate-span';

/** The readers one answer pages over, and the sources they read (carried by next_url). */
export interface AggregateReaders {
  base: BarReader;
  stored?: BarReader;
  sources: Pick<AggregateCursor, 'daySource' | 'storedSource'>;
}

/**
 * Where an answer's bars come from, through CandleSourceSelector as /candles chooses them:
 * 1m bars as stored; day bars stored where they cover the range, else rolled up from 1m; and for
 * a span that is a stored timeframe (5/minute ... 4/hour, 1/week), its stored bars where they cover
 * the range. Chosen once per query, on its whole range, so all its pages read the same source.
 */
@Injectable()
export class AggregateSources {
  constructor(private readonly selector: CandleSourceSelector) {}

  async readersFor(
    symbol: string,
    span: AggregateSpan,
    range: TimeRange,
    asOf: number,
    cursor?: AggregateCursor,
  ): Promise<AggregateReaders> {
    const storedTimeframe = span.isBase ? undefined : span.storedTimeframe;
    const [daySource, storedSource] = await Promise.all([
      span.base === '1d' ? (cursor?.daySource ?? this.choose(symbol, '1d', range, asOf)) : undefined,
      storedTimeframe ? (cursor?.storedSource ?? this.choose(symbol, storedTimeframe, range, asOf)) : undefined,
    ]);
    return {
      base: this.reader(symbol, span.base, daySource ?? 'native', asOf),
      stored: storedTimeframe && storedSource === 'native' ? this.reader(symbol, storedTimeframe, 'native', asOf) : undefined,
      sources: { daySource, storedSource },
    };
  }

  private choose(symbol: string, timeframe: TimeframeValue, window: TimeRange, asOf: number): Promise<ServedSource> {
    return this.selector.choose({ symbol, timeframe: Timeframe.of(timeframe), choice: 'auto', session: 'extended', window, asOf });
  }

  private reader(symbol: string, timeframe: TimeframeValue, source: ServedSource, asOf: number): BarReader {
    return {
      read: ({ start, end, limit, order }) => this.selector.read(source, { symbol, timeframe, start, end, limit, order }, 'extended', asOf),
    };
  }
}
