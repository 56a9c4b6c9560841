import type { TimeframeValue } from '@app/core';
import type { IndicatorBar } from '../indicator-bar';
import type { RunningIndicator } from '../running-indicator';
import { BARS_PER_BLOCK, blockStartOf } from './block-span';
import type { IndicatorBlock } from './indicator-block';

interface OpenBlock {
  start: number;
  count: number;
  times: Float64Array;
  columns: Float64Array[];
}

/** Feeds bars to one running indicator and cuts its values into blocks, each closed with the state after its last bar. */
export class BlockBuilder {
  private closed: IndicatorBlock[] = [];
  private open: OpenBlock | undefined;

  constructor(
    private readonly indicator: RunningIndicator,
    private readonly timeframe: TimeframeValue,
  ) {}

  feed(bar: IndicatorBar): void {
    const start = blockStartOf(this.timeframe, bar.time);
    if (this.open && this.open.start !== start) this.close();
    // A block spans BARS_PER_BLOCK bar durations, so it never holds more bars than that.
    this.open ??= {
      start,
      count: 0,
      times: new Float64Array(BARS_PER_BLOCK),
      columns: this.indicator.outputs.map(() => new Float64Array(BARS_PER_BLOCK)),
    };
    const row = this.indicator.nextRow(bar);
    const at = this.open.count++;
    this.open.times[at] = bar.time;
    for (let i = 0; i < row.length; i++) this.open.columns[i][at] = row[i];
  }

  /** The blocks closed since the last call; with `finish`, the open one too (its state is after the last bar fed). */
  take(finish = false): IndicatorBlock[] {
    if (finish && this.open) this.close();
    const blocks = this.closed;
    this.closed = [];
    return blocks;
  }

  private close(): void {
    const { start, count, times, columns } = this.open!;
    this.closed.push({
      start,
      times: times.slice(0, count),
      outputs: columns.map((values) => values.slice(0, count)),
      state: this.indicator.state(),
    });
    this.open = undefined;
  }
}
