import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, Timeframe, type TimeframeValue } from '@app/core';
import { SeriesVersions } from '@app/cache';
import { DatabaseService } from '@app/database';
import {
  type CandleChange,
  CandleChangeLog,
  CandleRepository,
  CandleSourceSelector,
  type ServedSource,
  type TrackedSymbol,
  TrackedSymbolRepository,
  TrackedSymbolsService,
} from '@app/market-data';
import { IncompatibleIndicatorStateError } from '../definition/saved-data';
import { RunningIndicator } from '../running-indicator';
import { sessionKeyFor } from '../session';
import type { IndicatorSpec } from '../spec/indicator-spec';
import { parseIndicatorSpec } from '../spec/parse-indicator-spec';
import { BlockBuilder } from '../storage/block-builder';
import type { IndicatorBlock } from '../storage/indicator-block';
import { blockSpanOf, blockStartOf } from '../storage/block-span';
import { IndicatorBlockRepository } from '../storage/indicator-block.repository';
import { type EnrichmentSeriesRow, EnrichmentSeriesRepository } from '../storage/enrichment-series.repository';
import { EnrichmentMetrics } from './enrichment.metrics';
import { seriesExtentOf } from './series-extent';

/** Blocks read and written per step: a month of 1m bars in memory at most. */
const BLOCKS_PER_READ = 32;

/** No cap on a range read: the window bounds it. */
const ALL_BARS = Number.MAX_SAFE_INTEGER;

/** One indicator's part of a run: where it resumes and from which state. */
interface Resumption {
  spec: IndicatorSpec;
  /** Block start (Unix ms) the recomputation begins at; -Infinity: from the series' first bar. */
  from: number;
  indicator: RunningIndicator;
}

export type EnrichmentOutcome =
  | { kind: 'skipped'; reason: 'locked' | 'up-to-date' }
  | { kind: 'done'; valuesWritten: number; computedThrough: number | null }
  | { kind: 'removed' };

/**
 * Brings the stored indicator values of one series (symbol, timeframe) in line with its bars:
 * each indicator resumes from the state saved before the earliest changed block (or from the
 * first bar when it is new, its source changed or its state cannot be read), recomputes every
 * later block and removes blocks it no longer produced. Runs under an advisory lock per series,
 * so one instance does it at a time; the series' change mark is cleared only at the revision the
 * run started from, so a write that lands mid-run gets its own run. A killed run leaves the mark,
 * and the next run starts over from it: values are rewritten idempotently.
 */
@Injectable()
export class EnrichmentJob {
  private readonly logger = new Logger(EnrichmentJob.name);

  constructor(
    private readonly database: DatabaseService,
    private readonly symbols: TrackedSymbolRepository,
    private readonly trackedSymbols: TrackedSymbolsService,
    private readonly changes: CandleChangeLog,
    private readonly candles: CandleRepository,
    private readonly sources: CandleSourceSelector,
    private readonly blocks: IndicatorBlockRepository,
    private readonly series: EnrichmentSeriesRepository,
    private readonly versions: SeriesVersions,
    private readonly metrics: EnrichmentMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(symbol: string, timeframe: TimeframeValue): Promise<EnrichmentOutcome> {
    // Work under the lock reads the primary (runExclusive): values are never computed over a lagging replica's bars.
    const outcome = await this.database.runExclusive(`enrichment:${symbol}:${timeframe}`, () => this.runLocked(symbol, timeframe));
    return outcome ?? { kind: 'skipped', reason: 'locked' };
  }

  private async runLocked(symbol: string, timeframe: TimeframeValue): Promise<EnrichmentOutcome> {
    const started = performance.now();
    const tracked = await this.symbols.findOne(symbol);
    const change = await this.changes.of(symbol, timeframe);
    if (!tracked?.timeframes.includes(timeframe)) return this.remove(symbol, timeframe, change);
    const specs = this.specsOf(tracked);
    const rows = await this.series.of(symbol, timeframe);
    try {
      const outcome = await this.compute(tracked, timeframe, specs, rows, change, started);
      if (change) await this.changes.clear(change);
      return outcome;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`enrichment of ${symbol} ${timeframe} failed (retried on the next pass): ${message}`);
      await this.series.recordError(
        symbol,
        timeframe,
        specs.map((spec) => spec.key),
        message,
        this.clock.now(),
      );
      this.metrics.failed(timeframe, performance.now() - started);
      throw error;
    }
  }

  private async compute(
    tracked: TrackedSymbol,
    timeframe: TimeframeValue,
    specs: readonly IndicatorSpec[],
    rows: readonly EnrichmentSeriesRow[],
    change: CandleChange | undefined,
    started: number,
  ): Promise<EnrichmentOutcome> {
    const { symbol } = tracked;
    const listed = new Set(specs.map((spec) => spec.key));
    for (const row of rows.filter((row) => !listed.has(row.indicator))) await this.dropIndicator(symbol, timeframe, row.indicator);

    const now = this.clock.now();
    const extent = await seriesExtentOf(this.candles, symbol, timeframe);
    if (!extent) {
      for (const spec of specs) await this.blocks.delete({ symbol, timeframe, indicator: spec.key });
      await this.recordRuns(tracked, timeframe, specs, null, null, 0, started);
      return { kind: 'done', valuesWritten: 0, computedThrough: null };
    }
    const source = await this.sources.choose({
      symbol,
      timeframe: Timeframe.of(timeframe),
      choice: 'auto',
      session: 'extended',
      window: { start: extent.oldest, end: extent.end },
      asOf: now,
    });
    const byKey = new Map(rows.map((row) => [row.indicator, row]));
    const due = specs.filter((spec) => isDue(byKey.get(spec.key), source, change, extent.newest));
    if (!due.length) return { kind: 'skipped', reason: 'up-to-date' };

    const context = { sessionOf: sessionKeyFor(symbol) };
    const resumptions: Resumption[] = [];
    for (const spec of due) resumptions.push(await this.resume(symbol, timeframe, spec, byKey.get(spec.key), source, change, context));

    const builders = resumptions.map((r) => new BlockBuilder(r.indicator, timeframe));
    const written: number[][] = resumptions.map(() => []);
    let valuesWritten = 0;
    let computedThrough: number | null = null;
    const span = blockSpanOf(timeframe) * BLOCKS_PER_READ;
    const first = Math.max(blockStartOf(timeframe, extent.oldest), Math.min(...resumptions.map((r) => r.from)));
    for (let windowStart = first; windowStart < extent.end; windowStart += span) {
      const windowEnd = Math.min(windowStart + span, extent.end);
      const bars = await this.sources.read(
        source,
        { symbol, timeframe, start: windowStart, end: windowEnd, limit: ALL_BARS, order: 'asc' },
        'extended',
        now,
      );
      if (bars.length) computedThrough = bars[bars.length - 1].time;
      const last = windowEnd >= extent.end;
      const finished: { indicator: string; block: IndicatorBlock }[] = [];
      for (let i = 0; i < resumptions.length; i++) {
        const from = resumptions[i].from;
        for (const bar of bars) if (bar.time >= from) builders[i].feed(bar);
        for (const block of builders[i].take(last)) {
          finished.push({ indicator: resumptions[i].spec.key, block });
          written[i].push(block.start);
          valuesWritten += block.times.length;
        }
      }
      await this.blocks.upsert({ symbol, timeframe }, finished);
    }
    for (let i = 0; i < resumptions.length; i++) {
      const { spec, from } = resumptions[i];
      await this.blocks.deleteFromExcept({ symbol, timeframe, indicator: spec.key }, Number.isFinite(from) ? from : 0, written[i]);
    }
    await this.recordRuns(tracked, timeframe, due, source, computedThrough, valuesWritten, started, written);
    await this.versions.bump([{ symbol, timeframe }]);
    return { kind: 'done', valuesWritten, computedThrough };
  }

  /** Where `spec` resumes: the block holding the earliest bar it has not seen as stored now, with the state before it. */
  private async resume(
    symbol: string,
    timeframe: TimeframeValue,
    spec: IndicatorSpec,
    row: EnrichmentSeriesRow | undefined,
    source: ServedSource,
    change: CandleChange | undefined,
    context: { sessionOf: (time: number) => number },
  ): Promise<Resumption> {
    const fresh = (): Resumption => ({ spec, from: -Infinity, indicator: RunningIndicator.start(spec, context) });
    if (!row || row.source !== source || row.computedThrough === null) return fresh();
    const earliest = Math.min(change?.changedFrom ?? Infinity, row.computedThrough + 1);
    const from = blockStartOf(timeframe, earliest);
    const state = await this.blocks.stateBefore({ symbol, timeframe, indicator: spec.key }, from);
    if (!state) return fresh();
    try {
      return { spec, from, indicator: RunningIndicator.resume(spec, context, state) };
    } catch (error) {
      if (!(error instanceof IncompatibleIndicatorStateError)) throw error;
      this.logger.log(`recomputing ${symbol} ${timeframe} ${spec.key} from its first bar: ${error.message}`);
      return fresh();
    }
  }

  private async recordRuns(
    tracked: TrackedSymbol,
    timeframe: TimeframeValue,
    specs: readonly IndicatorSpec[],
    source: ServedSource | null,
    computedThrough: number | null,
    valuesWritten: number,
    started: number,
    written: readonly number[][] = [],
  ): Promise<void> {
    const durationMs = performance.now() - started;
    await this.series.recordRuns(
      { symbol: tracked.symbol, timeframe },
      specs.map((spec, i) => ({ indicator: spec.key, blocksWritten: written[i]?.length ?? 0 })),
      { source, computedThrough, durationMs, at: this.clock.now() },
    );
    this.metrics.done(timeframe, valuesWritten, durationMs);
  }

  private specsOf(tracked: TrackedSymbol): IndicatorSpec[] {
    return this.trackedSymbols.indicatorsOf(tracked).map((key) => parseIndicatorSpec(key, 'indicators'));
  }

  private async dropIndicator(symbol: string, timeframe: TimeframeValue, indicator: string): Promise<void> {
    await this.blocks.delete({ symbol, timeframe, indicator });
    await this.series.delete(symbol, timeframe, indicator);
  }

  /** The series is no longer tracked (or its timeframe was dropped): its values go, and so does its mark. */
  private async remove(symbol: string, timeframe: TimeframeValue, change: CandleChange | undefined): Promise<EnrichmentOutcome> {
    await this.blocks.delete({ symbol, timeframe });
    await this.series.delete(symbol, timeframe);
    if (change) await this.changes.clear(change);
    return { kind: 'removed' };
  }
}

/** Whether an indicator's stored values may be behind the series' bars. */
function isDue(row: EnrichmentSeriesRow | undefined, source: ServedSource, change: CandleChange | undefined, newest: number): boolean {
  if (!row || row.source !== source || row.computedThrough === null) return true;
  return change !== undefined || row.computedThrough < newest;
}
