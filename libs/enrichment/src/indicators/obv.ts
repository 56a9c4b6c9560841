import type { IndicatorDefinition } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';

/** TA-Lib OBV: starts at the first bar's volume, then adds the volume of an up close and subtracts that of a down close. */
export const OBV: IndicatorDefinition = {
  name: 'obv',
  title: 'On-balance volume',
  inputs: ['close', 'volume'],
  parameters: [],
  outputs: [{ name: 'value', description: "Running total of signed volume since the series' first bar", warmup: '0' }],
  memory: 'series',
  reference: 'TA-Lib OBV (the level depends on the first bar fed; its changes do not)',
  firstValueIndex: () => [0],
  start(_params, _context, saved) {
    const data = SavedData.optional(saved, 'obv');
    let previousClose = data?.numberOrNull('previousClose') ?? null;
    let obv = data?.number('obv') ?? 0;
    return {
      next(bar, row) {
        if (previousClose === null) obv = bar.volume;
        else if (bar.close > previousClose) obv += bar.volume;
        else if (bar.close < previousClose) obv -= bar.volume;
        previousClose = bar.close;
        row[0] = obv;
      },
      snapshot: () => ({ previousClose, obv }),
    };
  },
};
