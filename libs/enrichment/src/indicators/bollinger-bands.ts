import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { SimpleAverage } from '../kernels/simple-average';

/**
 * Middle band = SMA of the close (the same value sma:window gives); the bands sit `multiplier`
 * population standard deviations away, the deviation taken around the middle band in a second
 * pass over the window. TA-Lib takes it as sqrt(mean(x^2) - mean^2) from running sums and prints
 * 0 below a variance of 1e-8; the two-pass form keeps the true width of sub-cent instruments.
 */
export const BOLLINGER_BANDS: IndicatorDefinition = {
  name: 'bbands',
  title: 'Bollinger Bands of the close',
  inputs: ['close'],
  parameters: [
    windowParameter({ default: 20, min: 2 }),
    {
      name: 'multiplier',
      description: 'Standard deviations between the middle band and each outer band',
      type: 'number',
      default: 2,
      min: 0,
      minExclusive: true,
      max: 10,
    },
  ],
  outputs: [
    { name: 'upper', description: 'middle + multiplier * standard deviation', warmup: 'window - 1' },
    { name: 'middle', description: 'SMA of the last `window` closes', warmup: 'window - 1' },
    { name: 'lower', description: 'middle - multiplier * standard deviation', warmup: 'window - 1' },
  ],
  memory: 'window',
  reference: 'TA-Lib BBANDS with an SMA middle band and equal up/down multipliers',
  firstValueIndex: ([window]) => [window - 1, window - 1, window - 1],
  start([window, multiplier], _context, saved) {
    const average = SimpleAverage.start(window, SavedData.optional(saved, 'bbands'));
    return {
      next(bar, row) {
        const middle = average.add(bar.close);
        const width = Number.isNaN(middle) ? NaN : Math.sqrt(average.window.squaredDeviationSum(middle) / window) * multiplier;
        row[0] = middle + width;
        row[1] = middle;
        row[2] = middle - width;
      },
      snapshot: () => average.snapshot(),
    };
  },
};
