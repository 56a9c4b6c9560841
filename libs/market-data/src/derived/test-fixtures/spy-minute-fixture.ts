import type { Candle } from '../../candles/candle';
import { spyMinuteCandles } from '@app/polygon/testing/spy-minute.fixture';

/** The real SPY fixture as 1m candles: one copy of the file, kept beside the fake provider (libs/polygon/test-fixtures). */
export function loadSpyMinuteBars(): Candle[] {
  return spyMinuteCandles();
}
