export { assetClassOf, type AssetClass } from './asset-class';
export { CalendarModule, MarketCalendar } from './calendar.module';
export { expectedBarStarts, isMarketOpen, tradingWindows, type SessionKind, type TradingWindow } from './market-calendar';
export { nyseHoliday } from './nyse-holidays';
export { NYSE_SPECIAL_CLOSURES, NYSE_SPECIAL_EARLY_CLOSES, type SpecialClosure, type SpecialEarlyClose } from './nyse-special-sessions';
export { nyDateOf, nyWallTimeToUtc } from './ny-time';
export { isNyseTradingDay, nyseSession, tradingDays, type NyseSession } from './trading-session';
