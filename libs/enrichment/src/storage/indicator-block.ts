import type { IndicatorState } from '../running-indicator';

/** One indicator's values over the bars of one block, and its state after the block's last bar. */
export interface IndicatorBlock {
  /** Unix ms, from blockStartOf. */
  readonly start: number;
  /** Bar times, Unix ms, ascending. */
  readonly times: Float64Array;
  /** Per output (catalogue order), one value per bar; NaN where there is none yet. */
  readonly outputs: readonly Float64Array[];
  readonly state: IndicatorState;
}

/** What a read returns: the values without the state. */
export type StoredBlock = Omit<IndicatorBlock, 'state'>;
