import { Inject, Injectable, Optional } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { AppConfigService } from '@app/config';
import { assetClassOf } from '@app/core';
import { CandleRepository } from '../candles/candle.repository';
import { INDICATOR_LISTS, type IndicatorLists, NO_INDICATORS } from './indicator-lists';
import { AlreadyTrackedError, NotTrackedError } from './tracked-symbol.errors';
import type { TrackedSymbol } from './tracked-symbol';
import { TrackedSymbolRepository } from './tracked-symbol.repository';

export type TrackedSymbolChange =
  | { kind: 'tracked' | 'timeframes-changed' | 'indicators-changed' | 'paused' | 'resumed'; symbol: TrackedSymbol }
  | { kind: 'untracked'; symbol: string; purged: boolean };

export interface UntrackResult {
  symbol: string;
  purged: boolean;
  barsDeleted: number;
}

/** Which symbols (and timeframes and indicators of each) the service keeps; the schedulers follow these. */
@Injectable()
export class TrackedSymbolsService {
  private readonly changeStream = new Subject<TrackedSymbolChange>();
  private readonly indicatorLists: IndicatorLists;

  constructor(
    private readonly symbols: TrackedSymbolRepository,
    private readonly candles: CandleRepository,
    private readonly config: AppConfigService,
    @Optional() @Inject(INDICATOR_LISTS) indicatorLists?: IndicatorLists,
  ) {
    this.indicatorLists = indicatorLists ?? NO_INDICATORS;
  }

  /** The indicators kept for `symbol`: its own list, or ENRICHMENT_DEFAULT_INDICATORS. */
  indicatorsOf(symbol: TrackedSymbol): readonly string[] {
    return symbol.indicators ?? this.indicatorLists.defaults;
  }

  /** Changes made through this instance, so a scheduler can react without polling (others still need a poll). */
  get changes(): Observable<TrackedSymbolChange> {
    return this.changeStream.asObservable();
  }

  list(): Promise<TrackedSymbol[]> {
    return this.symbols.findAll();
  }

  async get(symbol: string): Promise<TrackedSymbol> {
    return (await this.symbols.findOne(symbol)) ?? notTracked(symbol);
  }

  /**
   * Starts tracking `symbol` in `timeframes` (DEFAULT_TIMEFRAMES when omitted) with `indicators`
   * (following ENRICHMENT_DEFAULT_INDICATORS when omitted); 409 when already tracked.
   */
  async track(symbol: string, timeframes?: readonly string[], indicators?: readonly string[]): Promise<TrackedSymbol> {
    const chosen = timeframes === undefined ? [...this.config.defaultTimeframes] : this.config.parseTimeframes(timeframes, 'timeframes');
    const ownIndicators = indicators === undefined ? null : this.indicatorLists.normalise(indicators, 'indicators');
    const created = await this.symbols.insert(symbol, chosen, assetClassOf(symbol), ownIndicators);
    if (!created) throw new AlreadyTrackedError(symbol);
    this.changeStream.next({ kind: 'tracked', symbol: created });
    return created;
  }

  async setTimeframes(symbol: string, timeframes: readonly string[]): Promise<TrackedSymbol> {
    const updated = await this.symbols.update(symbol, { timeframes: this.config.parseTimeframes(timeframes, 'timeframes') });
    if (!updated) return notTracked(symbol);
    this.changeStream.next({ kind: 'timeframes-changed', symbol: updated });
    return updated;
  }

  /** Replaces the symbol's indicators; null returns it to ENRICHMENT_DEFAULT_INDICATORS. */
  async setIndicators(symbol: string, indicators: readonly string[] | null): Promise<TrackedSymbol> {
    const own = indicators === null ? null : this.indicatorLists.normalise(indicators, 'indicators');
    const updated = await this.symbols.update(symbol, { indicators: own });
    if (!updated) return notTracked(symbol);
    this.changeStream.next({ kind: 'indicators-changed', symbol: updated });
    return updated;
  }

  /**
   * Pauses (false) or resumes (true) the symbol: while paused the backfill scheduler starts none
   * of its jobs and stops the running ones at their next window; its stored bars stay readable.
   * Resuming picks up where the checkpoints stopped. Setting the state it has already is a no-op
   * that still answers the symbol (and moves updatedAt).
   */
  async setActive(symbol: string, active: boolean): Promise<TrackedSymbol> {
    const updated = await this.symbols.update(symbol, { active });
    if (!updated) return notTracked(symbol);
    this.changeStream.next({ kind: active ? 'resumed' : 'paused', symbol: updated });
    return updated;
  }

  /** Stops tracking; stored bars stay unless `purge`. */
  async untrack(symbol: string, purge: boolean): Promise<UntrackResult> {
    if (!(await this.symbols.delete(symbol))) return notTracked(symbol);
    const barsDeleted = purge ? await this.candles.deleteSymbol(symbol) : 0;
    this.changeStream.next({ kind: 'untracked', symbol, purged: purge });
    return { symbol, purged: purge, barsDeleted };
  }
}

function notTracked(symbol: string): never {
  throw new NotTrackedError(symbol);
}
