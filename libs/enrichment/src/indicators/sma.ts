import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { SimpleAverage } from '../kernels/simple-average';

export const SMA: IndicatorDefinition = {
  name: 'sma',
  title: 'Simple moving average of the close',
  inputs: ['close'],
  parameters: [windowParameter({ default: 20, min: 1 })],
  outputs: [{ name: 'value', description: 'Mean close of the last `window` bars', warmup: 'window - 1' }],
  memory: 'window',
  reference: 'TA-Lib SMA (the window summed afresh each bar rather than as a running sum)',
  firstValueIndex: ([window]) => [window - 1],
  start([window], _context, saved) {
    const average = SimpleAverage.start(window, SavedData.optional(saved, 'sma'));
    return {
      next(bar, row) {
        row[0] = average.add(bar.close);
      },
      snapshot: () => average.snapshot(),
    };
  },
};
