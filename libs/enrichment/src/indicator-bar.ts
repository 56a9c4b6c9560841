import type { CandleValues } from '@app/core';

/** What an indicator reads of a bar; a stored candle fits as it is. `time` is the bar's start, Unix ms. */
export type IndicatorBar = Pick<CandleValues, 'time' | 'high' | 'low' | 'close' | 'volume'>;
