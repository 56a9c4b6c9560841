import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { SmaSeededSmoothing } from '../kernels/sma-seeded-smoothing';

/**
 * TA-Lib ATR (Wilder): the true range needs the previous close, so the first one is bar 1's
 * (bar 0 has none; its high - low is not used). The first ATR, on bar `window`, is the mean of
 * the true ranges of bars 1..window; then atr = (atr * (window - 1) + tr) / window in three steps.
 */
export const ATR: IndicatorDefinition = {
  name: 'atr',
  title: 'Average true range (Wilder)',
  inputs: ['high', 'low', 'close'],
  parameters: [windowParameter({ default: 14, min: 1 })],
  outputs: [
    { name: 'value', description: 'Wilder average of max(high - low, |high - previous close|, |low - previous close|)', warmup: 'window' },
  ],
  memory: 'series',
  reference: 'TA-Lib ATR, unstable period 0 (window 1 gives the true range, as TA-Lib TRANGE)',
  firstValueIndex: ([window]) => [window],
  start([window], _context, saved) {
    const data = SavedData.optional(saved, 'atr');
    let previousClose = data?.numberOrNull('previousClose') ?? null;
    const atr = SmaSeededSmoothing.wilder(window, data?.child('atr'));
    return {
      next(bar, row) {
        row[0] = NaN;
        if (previousClose !== null) row[0] = atr.add(trueRange(bar.high, bar.low, previousClose));
        previousClose = bar.close;
      },
      snapshot: () => ({ previousClose, atr: atr.snapshot() }),
    };
  },
};

function trueRange(high: number, low: number, previousClose: number): number {
  return Math.max(high - low, Math.abs(previousClose - high), Math.abs(previousClose - low));
}
