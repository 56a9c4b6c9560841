import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { messageOf, type TimeframeValue } from '@app/core';
import { CandleRepository, DerivedCandleService } from '@app/market-data';
import { type BarPage, MARKET_DATA_PROVIDER, type MarketDataProvider } from '@app/provider';
import { IngestionDisabledError } from './ingestion.errors';
import { IngestionStatus } from './ingestion-status';

/** What one ingest run did. */
export interface IngestionResult {
  symbol: string;
  timeframe: TimeframeValue;
  /** The range asked for: bars whose start lies in [from, to), Unix ms. */
  from: number;
  to: number;
  /** HTTP requests sent to the provider, retries included. */
  requests: number;
  /** Validated pages received. */
  pages: number;
  /** Bars received. */
  bars: number;
  /** Rows inserted or changed (a re-run of an unchanged range writes 0). */
  written: number;
  durationMs: number;
}

type Totals = Pick<IngestionResult, 'requests' | 'pages' | 'bars' | 'written'>;

/** Pages written at once: the database works on one while the next is parsed and sent. */
const WRITES_IN_FLIGHT = 2;

/**
 * Pulls bars of one symbol and timeframe from the provider into market_data. Pages stream
 * straight into the bulk upsert while the next page downloads, so memory holds a few pages
 * at most. Idempotent: a re-run leaves identical rows, a revised bar overwrites the stored
 * one. Scheduling and locking belong to the caller.
 */
@Injectable()
export class IngestionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(IngestionService.name);

  constructor(
    @Inject(MARKET_DATA_PROVIDER) private readonly provider: MarketDataProvider,
    private readonly candles: CandleRepository,
    private readonly status: IngestionStatus,
    private readonly config: AppConfigService,
    private readonly derived: DerivedCandleService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.status.enabled) this.logger.log(`ingestion is on (provider: ${this.status.provider})`);
    else
      this.logger.warn(`ingestion is off: ${this.status.reason}; stored data is still served. To turn it on, ${this.status.howToEnable}`);
  }

  /** Fetches and stores bars whose start lies in [from, to). Throws typed provider errors; pages before a failure stay written. */
  async ingest(symbol: string, timeframe: TimeframeValue, from: Date | number, to: Date | number): Promise<IngestionResult> {
    if (!this.status.enabled) throw new IngestionDisabledError(this.status.reason ?? 'no provider');
    const range = { symbol, timeframe: this.config.parseTimeframe(timeframe).value, from: toMs(from, 'from'), to: toMs(to, 'to') };
    if (range.from >= range.to)
      throw new RangeError(`from (${new Date(range.from).toISOString()}) must be before to (${new Date(range.to).toISOString()})`);
    const started = performance.now();
    const totals = { requests: 0, pages: 0, bars: 0, written: 0 };
    const label = `${symbol} ${range.timeframe} [${new Date(range.from).toISOString()}, ${new Date(range.to).toISOString()})`;
    try {
      await this.streamInto(this.provider.fetchBars(range), totals);
    } catch (error) {
      this.logger.error(`ingest ${label} failed after ${totals.pages} page(s), ${totals.written} row(s) written: ${messageOf(error)}`);
      throw error;
    } finally {
      // Continuous aggregates only see older 1m rows once refreshed (pages before a failure count too).
      if (range.timeframe === '1m' && totals.written > 0) await this.derived.refreshAfterWrite(symbol, range.from, range.to);
    }
    const result: IngestionResult = { ...range, ...totals, durationMs: Math.round(performance.now() - started) };
    this.logger.log(
      `ingested ${label}: ${result.requests} request(s), ${result.bars} bar(s), ${result.written} row(s) written in ${result.durationMs} ms`,
    );
    return result;
  }

  /**
   * Downloads the next page while earlier ones are written, with up to WRITES_IN_FLIGHT
   * writes at once (pages never overlap in time, so their upserts touch disjoint rows).
   * Memory holds at most WRITES_IN_FLIGHT + 1 pages.
   */
  private async streamInto(pages: AsyncIterable<BarPage>, totals: Totals): Promise<void> {
    const iterator = pages[Symbol.asyncIterator]();
    const writes = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const write = (bars: BarPage['bars']): void => {
      const pending: Promise<void> = this.candles
        .upsertMany(bars)
        .then(
          (written) => {
            totals.written += written;
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => writes.delete(pending));
      writes.add(pending);
    };
    let next = iterator.next();
    try {
      for (;;) {
        const current = await next;
        if (current.done) break;
        next = iterator.next();
        // Awaited on the next turn; until then a failure must not count as unhandled.
        next.catch(() => undefined);
        const page = current.value;
        totals.requests += page.requests;
        totals.pages++;
        totals.bars += page.bars.length;
        if (page.bars.length) write(page.bars);
        while (writes.size >= WRITES_IN_FLIGHT) await Promise.race(writes);
        if (failure) throw failure.error;
      }
      await Promise.all(writes);
      if (failure) throw failure.error;
    } catch (error) {
      // Let the writes in flight finish, and stop the provider once its download settles.
      await Promise.all(writes);
      await next.then(
        () => iterator.return?.(),
        () => undefined,
      );
      throw error;
    }
  }
}

function toMs(value: Date | number, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid time`);
  return ms;
}
