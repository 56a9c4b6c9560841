import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { SmaSeededSmoothing } from '../kernels/sma-seeded-smoothing';

/**
 * TA-Lib RSI (Wilder): gains and losses each smoothed by Wilder's SmaSeededSmoothing (plain mean of the first
 * `window`, then Wilder's recursion).
 * RSI = 100 * gain / (gain + loss), 0 when both are 0 (no movement at all).
 */
export const RSI: IndicatorDefinition = {
  name: 'rsi',
  title: 'Relative strength index (Wilder) of the close',
  inputs: ['close'],
  parameters: [windowParameter({ default: 14, min: 2 })],
  outputs: [{ name: 'value', description: 'RSI from 0 to 100', warmup: 'window' }],
  memory: 'series',
  reference: 'TA-Lib RSI, unstable period 0, not Metastock-compatible',
  firstValueIndex: ([window]) => [window],
  start([window], _context, saved) {
    const data = SavedData.optional(saved, 'rsi');
    let previousClose = data?.numberOrNull('previousClose') ?? null;
    const gain = SmaSeededSmoothing.wilder(window, data?.child('gain'));
    const loss = SmaSeededSmoothing.wilder(window, data?.child('loss'));
    return {
      next(bar, row) {
        row[0] = NaN;
        if (previousClose !== null) {
          const change = bar.close - previousClose;
          const averageGain = gain.add(change > 0 ? change : 0);
          const averageLoss = loss.add(change < 0 ? -change : 0);
          if (!Number.isNaN(averageGain)) row[0] = strengthIndex(averageGain, averageLoss);
        }
        previousClose = bar.close;
      },
      snapshot: () => ({ previousClose, gain: gain.snapshot(), loss: loss.snapshot() }),
    };
  },
};

function strengthIndex(gain: number, loss: number): number {
  const total = gain + loss;
  return total === 0 ? 0 : 100 * (gain / total);
}
