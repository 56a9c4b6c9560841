import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Candle } from '../../candles/candle';

export const SPY_FIXTURE_FILE = join(__dirname, 'nt-spy-minute-2011-01.csv');

/** The SPY fixture as 1m candles; each line's stamp is the bar's END, so the start is 60 s earlier. */
export function loadSpyMinuteBars(): Candle[] {
  return readFileSync(SPY_FIXTURE_FILE, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [stamp, open, high, low, close, volume] = line.trim().split(';');
      const match = /^(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/.exec(stamp);
      if (!match) throw new Error(`bad fixture line: ${line}`);
      const [, y, mo, d, h, mi, s] = match.map(Number);
      return {
        symbol: 'SPY',
        timeframe: '1m' as const,
        time: Date.UTC(y, mo - 1, d, h, mi, s) - 60_000,
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
        vwap: null,
        trades: null,
      };
    });
}
