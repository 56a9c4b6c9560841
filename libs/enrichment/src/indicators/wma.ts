import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { RingWindow } from '../kernels/ring-window';

export const WMA: IndicatorDefinition = {
  name: 'wma',
  title: 'Linearly weighted moving average of the close',
  inputs: ['close'],
  parameters: [windowParameter({ default: 20, min: 1 })],
  outputs: [
    { name: 'value', description: 'Closes weighted 1 (oldest) .. window (newest), over window * (window + 1) / 2', warmup: 'window - 1' },
  ],
  memory: 'window',
  reference: "TA-Lib WMA (the weighted sum taken afresh each bar rather than TA-Lib's running sums)",
  firstValueIndex: ([window]) => [window - 1],
  start([window], _context, saved) {
    const closes = new RingWindow(window, SavedData.optional(saved, 'wma')?.numbers('window', window));
    const divider = (window * (window + 1)) / 2;
    return {
      next(bar, row) {
        closes.push(bar.close);
        row[0] = closes.isFull ? closes.weightedSum() / divider : NaN;
      },
      snapshot: () => ({ window: closes.toArray() }),
    };
  },
};
