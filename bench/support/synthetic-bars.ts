import { Candle } from '@app/core';

const MINUTE = 60_000;

/**
 * Extended-hours (04:00-20:00 ET ~ 09:00-01:00 UTC in winter) one-minute bars on
 * weekdays, 960 a day, with full-precision prices: the shape of a real symbol-year.
 */
export function syntheticMinuteYear(symbol: string, year: number, days = 252): Candle[] {
  const bars: Candle[] = [];
  let price = 100;
  let state = symbol.split('').reduce((s, c) => s * 31 + c.charCodeAt(0), 7) >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  for (let day = Date.UTC(year, 0, 2); bars.length < days * 960; day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const sessionStart = day + 9 * 3_600_000;
    for (let i = 0; i < 960; i++) {
      const open = price;
      const close = Math.max(1, open + (random() - 0.5) * 0.4);
      bars.push({
        symbol,
        timeframe: '1m',
        time: sessionStart + i * MINUTE,
        open,
        high: Math.max(open, close) + random() * 0.1,
        low: Math.min(open, close) - random() * 0.1,
        close,
        volume: Math.floor(random() * 100_000),
        vwap: (open + close) / 2,
        trades: Math.floor(random() * 1000),
      });
      price = close;
    }
  }
  return bars;
}
