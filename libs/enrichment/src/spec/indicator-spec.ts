import type { IndicatorName } from '../indicator-name';

/** A validated indicator with all its parameters, e.g. `macd:12:26:9`. */
export interface IndicatorSpec {
  readonly name: IndicatorName;
  /** In the catalogue's parameter order, defaults filled in. */
  readonly params: readonly number[];
  /** The canonical text: lower case, every parameter spelled out, numbers in their shortest form. */
  readonly key: string;
}
