import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';

/**
 * TA-Lib RSI (Wilder): the first averages are plain means of the first `window` gains and
 * losses; then avg = (avg * (window - 1) + change) / window, as three separate steps.
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
    let changes = data?.number('changes') ?? 0;
    let gain = data?.number('gain') ?? 0;
    let loss = data?.number('loss') ?? 0;
    return {
      next(bar, row) {
        row[0] = NaN;
        if (previousClose === null) {
          previousClose = bar.close;
          return;
        }
        const change = bar.close - previousClose;
        previousClose = bar.close;
        changes += 1;
        if (changes > window) {
          gain *= window - 1;
          loss *= window - 1;
        }
        if (change < 0) loss -= change;
        else gain += change;
        if (changes < window) return;
        gain /= window;
        loss /= window;
        row[0] = strengthIndex(gain, loss);
      },
      snapshot: () => ({ previousClose, changes, gain, loss }),
    };
  },
};

function strengthIndex(gain: number, loss: number): number {
  const total = gain + loss;
  return total === 0 ? 0 : 100 * (gain / total);
}
