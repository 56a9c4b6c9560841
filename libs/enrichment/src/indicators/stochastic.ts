import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { RingWindow } from '../kernels/ring-window';
import { SimpleAverage } from '../kernels/simple-average';

/**
 * TA-Lib STOCH with SMA smoothing (its default type): fast %K = (close - lowest low) /
 * ((highest high - lowest low) / 100) over `kWindow` bars, 0 when the range is flat;
 * %K = SMA(kSmoothing) of fast %K; %D = SMA(dSmoothing) of %K.
 */
export const STOCHASTIC: IndicatorDefinition = {
  name: 'stoch',
  title: 'Stochastic oscillator (slow %K and %D)',
  inputs: ['high', 'low', 'close'],
  parameters: [
    windowParameter({ name: 'kWindow', description: 'Bars whose highest high and lowest low fast %K reads', default: 14, min: 1 }),
    windowParameter({ name: 'kSmoothing', description: 'Bars of the SMA turning fast %K into %K', default: 3, min: 1 }),
    windowParameter({ name: 'dSmoothing', description: 'Bars of the SMA of %K that is %D', default: 3, min: 1 }),
  ],
  outputs: [
    { name: 'k', description: '%K (slow), 0 to 100', warmup: 'kWindow + kSmoothing - 2' },
    { name: 'd', description: '%D, the SMA of %K', warmup: 'kWindow + kSmoothing + dSmoothing - 3' },
  ],
  memory: 'window',
  reference: "TA-Lib STOCH, SMA for both smoothings (TA-Lib returns %K only from %D's first bar; its values there are the same)",
  firstValueIndex: ([kWindow, kSmoothing, dSmoothing]) => [kWindow + kSmoothing - 2, kWindow + kSmoothing + dSmoothing - 3],
  start([kWindow, kSmoothing, dSmoothing], _context, saved) {
    const data = SavedData.optional(saved, 'stoch');
    const highs = new RingWindow(kWindow, data?.numbers('highs', kWindow));
    const lows = new RingWindow(kWindow, data?.numbers('lows', kWindow));
    const slowK = SimpleAverage.start(kSmoothing, data?.child('k'));
    const slowD = SimpleAverage.start(dSmoothing, data?.child('d'));
    return {
      next(bar, row) {
        highs.push(bar.high);
        lows.push(bar.low);
        const k = highs.isFull ? slowK.add(fastK(bar.close, highs.max(), lows.min())) : NaN;
        row[0] = k;
        row[1] = Number.isNaN(k) ? NaN : slowD.add(k);
      },
      snapshot: () => ({ highs: highs.toArray(), lows: lows.toArray(), k: slowK.snapshot(), d: slowD.snapshot() }),
    };
  },
};

function fastK(close: number, highest: number, lowest: number): number {
  const hundredth = (highest - lowest) / 100;
  return hundredth !== 0 ? (close - lowest) / hundredth : 0;
}
