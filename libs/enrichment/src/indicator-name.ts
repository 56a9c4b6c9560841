/** The indicators this service computes, in the order the catalogue lists them. */
export const INDICATOR_NAMES = ['sma', 'ema', 'wma', 'rsi', 'macd', 'bbands', 'atr', 'stoch', 'obv', 'vwap'] as const;

export type IndicatorName = (typeof INDICATOR_NAMES)[number];
