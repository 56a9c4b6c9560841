import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { SmaSeededSmoothing } from '../kernels/sma-seeded-smoothing';

export const EMA: IndicatorDefinition = {
  name: 'ema',
  title: 'Exponential moving average of the close',
  inputs: ['close'],
  parameters: [windowParameter({ default: 20, min: 1 })],
  outputs: [
    { name: 'value', description: 'EMA with k = 2 / (window + 1), seeded with the SMA of the first `window` closes', warmup: 'window - 1' },
  ],
  memory: 'series',
  reference: 'TA-Lib EMA, default compatibility (SMA seed)',
  firstValueIndex: ([window]) => [window - 1],
  start([window], _context, saved) {
    const ema = SmaSeededSmoothing.ema(window, SavedData.optional(saved, 'ema'));
    return {
      next(bar, row) {
        row[0] = ema.add(bar.close);
      },
      snapshot: () => ema.snapshot(),
    };
  },
};
