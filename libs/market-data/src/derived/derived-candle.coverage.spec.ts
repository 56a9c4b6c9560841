import type { Candle, TimeframeValue } from '@app/core';
import { DatabaseTestContext, ENGINES, bootDatabase } from '@app/testing';
import { CandleRepository } from '../candles/candle.repository';
import { DerivedCandleService } from './derived-candle.service';
import { syntheticMinutes } from '@app/market-data/testing';

/** coverage(): what source=auto asks before serving stored bars (stored bars serve when every expected one is there). */
const at = (iso: string): number => Date.parse(iso);

function nativeBar(symbol: string, timeframe: TimeframeValue, iso: string): Candle {
  return { symbol, timeframe, time: at(iso), open: 1, high: 2, low: 0.5, close: 1.5, volume: 100, vwap: null, trades: null };
}

describe.each(ENGINES)('coverage on %s', (engine) => {
  let ctx: DatabaseTestContext;
  let service: DerivedCandleService;
  let candles: CandleRepository;

  beforeAll(async () => {
    ctx = await bootDatabase(engine);
    service = ctx.module.get(DerivedCandleService);
    candles = ctx.module.get(CandleRepository);
  }, 60_000);

  afterAll(() => ctx.close());

  it('day bars: every ended trading day must be stored; weekends, holidays and the open day are not expected', async () => {
    // Week of 2024-03-25: Good Friday (03-29) is an NYSE holiday. "Now" is Thursday 03-28 at noon New York.
    const asOf = at('2024-03-28T16:00:00Z');
    const range = ['DAYS', '1d', at('2024-03-24T00:00:00Z'), at('2024-03-31T00:00:00Z'), asOf] as const;
    await candles.upsertMany(
      ['2024-03-25T04:00:00Z', '2024-03-27T04:00:00Z', '2024-03-30T04:00:00Z'].map((iso) => nativeBar('DAYS', '1d', iso)),
    );
    expect(await service.coverage(...range)).toMatchObject({ expectedBars: 3, storedExpectedBars: 2 });

    await candles.upsertMany([nativeBar('DAYS', '1d', '2024-03-26T04:00:00Z')]);
    expect(await service.coverage(...range)).toMatchObject({ expectedBars: 3, storedExpectedBars: 3 });
  });

  it('hour bars of a stock: the seven hours that overlap the regular session; pre- and post-market hours are optional', async () => {
    // 2024-03-04 (EST): regular 14:30-21:00Z touches the hours starting 14:00 .. 20:00Z.
    const range = ['HOURS', '1h', at('2024-03-04T00:00:00Z'), at('2024-03-05T00:00:00Z')] as const;
    const regularHours = ['14', '15', '16', '17', '18', '19', '20'].map((hh) => nativeBar('HOURS', '1h', `2024-03-04T${hh}:00:00Z`));
    await candles.upsertMany([nativeBar('HOURS', '1h', '2024-03-04T10:00:00Z'), ...regularHours.slice(1)]);
    expect(await service.coverage(...range)).toMatchObject({ expectedBars: 7, storedExpectedBars: 6 });
    await candles.upsertMany(regularHours.slice(0, 1));
    expect(await service.coverage(...range)).toMatchObject({ expectedBars: 7, storedExpectedBars: 7 });
  });

  it('crypto trades around the clock: every hour is expected; 1m bars are counted for derivation', async () => {
    const range = ['X:ETHUSD', '1h', at('2024-03-09T00:00:00Z'), at('2024-03-10T00:00:00Z')] as const;
    await candles.upsertMany(syntheticMinutes('X:ETHUSD', at('2024-03-09T00:00:00Z'), at('2024-03-09T12:00:00Z')));
    expect(await service.coverage(...range)).toEqual({
      symbol: 'X:ETHUSD',
      timeframe: '1h',
      start: range[2],
      end: range[3],
      expectedBars: 24,
      storedExpectedBars: 0,
      minuteBars: 720,
    });
  });
});
