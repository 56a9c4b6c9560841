import type { IndicatorDefinition } from './definition/indicator-definition';
import type { IndicatorName } from './indicator-name';
import { ATR } from './indicators/atr';
import { BOLLINGER_BANDS } from './indicators/bollinger-bands';
import { EMA } from './indicators/ema';
import { MACD } from './indicators/macd';
import { OBV } from './indicators/obv';
import { RSI } from './indicators/rsi';
import { SMA } from './indicators/sma';
import { STOCHASTIC } from './indicators/stochastic';
import { VWAP } from './indicators/vwap';
import { WMA } from './indicators/wma';

/** Every indicator by name; the type makes leaving one out a compile error. */
export const INDICATORS: Readonly<Record<IndicatorName, IndicatorDefinition>> = {
  sma: SMA,
  ema: EMA,
  wma: WMA,
  rsi: RSI,
  macd: MACD,
  bbands: BOLLINGER_BANDS,
  atr: ATR,
  stoch: STOCHASTIC,
  obv: OBV,
  vwap: VWAP,
};
