export { expectedBarStarts, tradingWindows, type SessionKind, type TradingWindow } from './market-calendar';
