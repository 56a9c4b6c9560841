import { Injectable } from '@nestjs/common';
import { CandleChangeLog, type ResolvedCandlesRequest, type ServedCandle, type ServedSource } from '@app/market-data';
import { INDICATORS } from '../indicator-registry';
import type { IndicatorSpec } from '../spec/indicator-spec';
import { blockStartOf } from '../storage/block-span';
import type { StoredBlock } from '../storage/indicator-block';
import { EnrichmentSeriesRepository } from '../storage/enrichment-series.repository';
import { IndicatorBlockRepository } from '../storage/indicator-block.repository';
import type { IndicatorColumn } from './indicator-columns';

/**
 * Stored values for a page, where enrichment keeps them and they agree with the bars on it: the
 * same source, the extended session, computed through the page's newest bar, and no write since
 * that touched the page (a change mark at or before its newest bar). Anything else is left to
 * the on-the-fly computation, so a stored answer is never older than the bars it sits on.
 */
@Injectable()
export class StoredIndicators {
  constructor(
    private readonly series: EnrichmentSeriesRepository,
    private readonly changes: CandleChangeLog,
    private readonly blocks: IndicatorBlockRepository,
  ) {}

  /** Per spec, its stored column over `pageAscending` (in the page's order), or undefined where it must be computed. */
  async columns(
    resolved: ResolvedCandlesRequest,
    source: ServedSource,
    specs: readonly IndicatorSpec[],
    pageAscending: readonly ServedCandle[],
    newestFirst: boolean,
  ): Promise<(IndicatorColumn | undefined)[]> {
    const none = specs.map(() => undefined);
    if (resolved.session === 'regular' || !pageAscending.length) return none;
    const { symbol } = resolved;
    const timeframe = resolved.timeframe.value;
    const [rows, change] = await Promise.all([this.series.of(symbol, timeframe), this.changes.of(symbol, timeframe)]);
    const newest = pageAscending[pageAscending.length - 1].time;
    if (change && change.changedFrom <= newest) return none;
    const byKey = new Map(rows.map((row) => [row.indicator, row]));
    const usable = specs.filter((spec) => {
      const row = byKey.get(spec.key);
      return row && row.source === source && row.computedThrough !== null && row.computedThrough >= newest;
    });
    if (!usable.length) return none;
    const stored = await this.blocks.read(
      { symbol, timeframe },
      usable.map((spec) => spec.key),
      blockStartOf(timeframe, pageAscending[0].time),
      newest + 1,
    );
    return specs.map((spec) => {
      const blocks = stored.get(spec.key);
      return blocks && columnOver(spec, blocks, pageAscending, newestFirst);
    });
  }
}

/** The stored values at the page's bar times; undefined if a bar has none (the blocks are being rewritten). */
function columnOver(
  spec: IndicatorSpec,
  stored: readonly StoredBlock[],
  pageAscending: readonly ServedCandle[],
  newestFirst: boolean,
): IndicatorColumn | undefined {
  const outputs = INDICATORS[spec.name].outputs.map((output) => output.name);
  const outputCount = outputs.length;
  if (stored.some((block) => block.outputs.length !== outputCount)) return undefined;
  const columns = Array.from({ length: outputCount }, () => new Float64Array(pageAscending.length));
  let block = 0;
  let at = 0;
  for (let i = 0; i < pageAscending.length; i++) {
    const time = pageAscending[i].time;
    // Both are ascending: walk the blocks alongside the page.
    while (block < stored.length && (at >= stored[block].times.length || stored[block].times[at] < time)) {
      if (at >= stored[block].times.length) {
        block++;
        at = 0;
      } else at++;
    }
    if (block >= stored.length || stored[block].times[at] !== time) return undefined;
    for (let output = 0; output < outputCount; output++) columns[output][i] = stored[block].outputs[output][at];
  }
  if (newestFirst) for (const values of columns) values.reverse();
  return { spec, outputs, values: Object.fromEntries(outputs.map((name, i) => [name, columns[i]])), origin: 'stored' };
}
