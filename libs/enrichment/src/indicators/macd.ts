import { type IndicatorDefinition, windowParameter } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';
import { SmaSeededSmoothing } from '../kernels/sma-seeded-smoothing';

/**
 * TA-Lib MACD: both EMAs of the close are seeded on the same bar, slow - 1, the fast one with
 * the SMA of the `fast` closes ending there (so it is fed from bar slow - fast on); the signal
 * is the EMA of the MACD line, seeded with the SMA of its first `signal` values.
 */
export const MACD: IndicatorDefinition = {
  name: 'macd',
  title: 'Moving average convergence/divergence of the close',
  inputs: ['close'],
  parameters: [
    windowParameter({ name: 'fast', description: 'Bars of the fast EMA', default: 12, min: 2 }),
    windowParameter({ name: 'slow', description: 'Bars of the slow EMA, more than fast', default: 26, min: 2 }),
    windowParameter({ name: 'signal', description: 'Bars of the signal EMA of the MACD line', default: 9, min: 1 }),
  ],
  outputs: [
    { name: 'macd', description: 'Fast EMA - slow EMA', warmup: 'slow - 1' },
    { name: 'signal', description: 'EMA of the MACD line', warmup: 'slow + signal - 2' },
    { name: 'histogram', description: 'MACD line - signal', warmup: 'slow + signal - 2' },
  ],
  memory: 'series',
  reference: 'TA-Lib MACD (TA-Lib returns the line only from slow + signal - 2; its values there are the same)',
  refuse: ([fast, slow]) => (fast < slow ? null : `fast (${fast}) must be less than slow (${slow})`),
  firstValueIndex: ([, slow, signal]) => [slow - 1, slow + signal - 2, slow + signal - 2],
  start([fast, slow, signal], _context, saved) {
    const data = SavedData.optional(saved, 'macd');
    let bars = data?.number('bars') ?? 0;
    const fastEma = SmaSeededSmoothing.ema(fast, data?.child('fast'));
    const slowEma = SmaSeededSmoothing.ema(slow, data?.child('slow'));
    const signalEma = SmaSeededSmoothing.ema(signal, data?.child('signal'));
    return {
      next(bar, row) {
        const slowValue = slowEma.add(bar.close);
        const fastValue = bars >= slow - fast ? fastEma.add(bar.close) : NaN;
        bars += 1;
        // Both EMAs are seeded on bar slow - 1: before it the line is NaN and the signal is not fed.
        const line = fastValue - slowValue;
        const signalValue = Number.isNaN(line) ? NaN : signalEma.add(line);
        row[0] = line;
        row[1] = signalValue;
        row[2] = line - signalValue;
      },
      snapshot: () => ({ bars, fast: fastEma.snapshot(), slow: slowEma.snapshot(), signal: signalEma.snapshot() }),
    };
  },
};
