import type { IndicatorDefinition } from '../definition/indicator-definition';
import { SavedData } from '../definition/saved-data';

/**
 * Session-anchored VWAP: sum(typical price * volume) / sum(volume) over the bars of the current
 * session, typical price = (high + low + close) / 3. The session comes from the context (New
 * York day for US stocks, UTC day for crypto); until the session has traded, there is no value.
 * TA-Lib has no VWAP.
 */
export const VWAP: IndicatorDefinition = {
  name: 'vwap',
  title: 'Volume-weighted average price, anchored to the session',
  inputs: ['high', 'low', 'close', 'volume'],
  parameters: [],
  outputs: [{ name: 'value', description: 'VWAP of the session so far', warmup: '0 (null while the session has no volume yet)' }],
  memory: 'session',
  reference: 'none in TA-Lib; the usual session VWAP on the typical price',
  firstValueIndex: () => [0],
  start(_params, context, saved) {
    const data = SavedData.optional(saved, 'vwap');
    let session = data?.numberOrNull('session') ?? null;
    let priceVolume = data?.number('priceVolume') ?? 0;
    let volume = data?.number('volume') ?? 0;
    return {
      next(bar, row) {
        const barSession = context.sessionOf(bar.time);
        if (barSession !== session) {
          session = barSession;
          priceVolume = 0;
          volume = 0;
        }
        priceVolume += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
        volume += bar.volume;
        row[0] = volume > 0 ? priceVolume / volume : NaN;
      },
      snapshot: () => ({ session, priceVolume, volume }),
    };
  },
};
