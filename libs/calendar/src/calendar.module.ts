import { Injectable, Module } from '@nestjs/common';
import { assetClassOf } from './asset-class';
import { expectedBarStarts, isMarketOpen, tradingWindows } from './market-calendar';
import { nyseHoliday } from './nyse-holidays';
import { nyDateOf, nyWallTimeToUtc } from './ny-time';
import { isNyseTradingDay, nyseSession, tradingDays } from './trading-session';

/** Injectable face of the pure calendar functions, so consumers can swap it in tests. */
@Injectable()
export class MarketCalendar {
  readonly assetClassOf = assetClassOf;
  readonly nyseSession = nyseSession;
  readonly isNyseTradingDay = isNyseTradingDay;
  readonly nyseHoliday = nyseHoliday;
  readonly tradingDays = tradingDays;
  readonly tradingWindows = tradingWindows;
  readonly isMarketOpen = isMarketOpen;
  readonly expectedBarStarts = expectedBarStarts;
  readonly nyWallTimeToUtc = nyWallTimeToUtc;
  readonly nyDateOf = nyDateOf;
}

@Module({ providers: [MarketCalendar], exports: [MarketCalendar] })
export class CalendarModule {}
