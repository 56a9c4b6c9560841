import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AnswerCache, type CachedAnswer, type SeriesId, SeriesVersions } from '@app/cache';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, type TimeframeDurations, type TimeframeValue } from '@app/core';
import { PolygonRequestError } from '../http/polygon-request.error';
import { pathSegment } from '../http/public-base-url';
import type { DataSource } from '../read-through/data-source';
import { ReadThrough } from '../read-through/read-through.service';
import { encodeAggregateCursor } from './aggregate-cursor';
import { type AggregatePage, collectAggregatePage } from './aggregate-pager';
import { AggregateSources } from './aggregate-sources';
import { aggregatesBodyTemplate } from './aggregates-body';
import type { AggregatesRequest } from './aggregates-request';

/** Changes whenever the bytes of an answer change shape, so two releases never share entries. */
const ANSWER_FORMAT = 1;

export interface AggregatesAnswer {
  /** The body with its request_id and next_url base as slots (answer-template.ts). */
  template: Buffer;
  dataSource: DataSource;
  /** local, redis, miss, or bypass (a range that may still change without a write). */
  cache: string;
}

/**
 * GET /v2/aggs/ticker/.../range/...: read-through first (when on), then the page, through the
 * answer cache. The key names the request and the versions of every series it reads (its base,
 * the 1m bars day bars may be rolled up from, the stored timeframe it is), so a write anywhere
 * makes a new key; ranges still inside the revision window are never cached.
 */
@Injectable()
export class AggregatesService {
  private readonly revisionMs: number;
  private readonly storedAdjusted: boolean;
  private readonly ttls: TimeframeDurations;

  constructor(
    config: AppConfigService,
    private readonly sources: AggregateSources,
    private readonly readThrough: ReadThrough,
    private readonly cache: AnswerCache,
    private readonly versions: SeriesVersions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.revisionMs = config.get('REFRESH_REVISION_MINUTES') * 60_000;
    this.storedAdjusted = config.get('POLYGON_ADJUSTED');
    this.ttls = config.get('CACHE_TTLS');
  }

  async answer(request: AggregatesRequest): Promise<AggregatesAnswer> {
    requireStoredAdjustment(request.adjusted, this.storedAdjusted);
    const { symbol, span, start, end, sort, limit } = request;
    const dataSource =
      start < end
        ? await this.readThrough.ensure({ symbol, timeframe: span.base, range: { start, end }, order: sort, enough: limit })
        : 'store';
    const now = this.clock.now();
    const series = seriesOf(request);
    const produce = (expiresAt: number) => this.render(request, now, expiresAt);
    if (!this.cache.enabled || end + this.revisionMs > now) {
      this.cache.bypassed(this.cache.enabled ? 'moving-window' : 'disabled');
      return { template: (await produce(now)).body, dataSource, cache: 'bypass' };
    }
    const versions = await this.versions.current(
      symbol,
      series.map(({ timeframe }) => timeframe),
    );
    const expiresAt = now + this.ttls[span.storedTimeframe ?? span.base];
    const { answer, tier } = await this.cache.getOrProduce(answerKey(request, versions), series, now, () => produce(expiresAt));
    return { template: answer.body, dataSource, cache: tier };
  }

  private async render(request: AggregatesRequest, asOf: number, expiresAt: number): Promise<CachedAnswer> {
    const { symbol, span, start, end, sort, limit, adjusted } = request;
    let page: AggregatePage = { results: [], queryCount: 0 };
    let nextPath: string | undefined;
    if (start < end) {
      const readers = await this.sources.readersFor(symbol, span, { start, end }, asOf, request.cursor);
      page = await collectAggregatePage({ span, start, end, sort, limit, base: readers.base, stored: readers.stored });
      if (page.continueAt !== undefined) {
        nextPath = nextPathOf(request, page.continueAt, encodeAggregateCursor({ adjusted, limit, sort, ...readers.sources }));
      }
    }
    const body = aggregatesBodyTemplate({ ticker: request.ticker, queryCount: page.queryCount, adjusted, results: page.results, nextPath });
    return { body, headers: {}, expiresAt };
  }
}

/** The store holds one adjustment (POLYGON_ADJUSTED); the other cannot be answered from it. */
export function requireStoredAdjustment(requested: boolean, stored: boolean): void {
  if (requested !== stored) {
    throw PolygonRequestError.badParameter(
      'adjusted',
      `this service stores ${stored ? 'split-adjusted' : 'unadjusted'} bars only (POLYGON_ADJUSTED=${stored}); ask adjusted=${stored}`,
    );
  }
}

/** Like the provider's: the same path with `from` moved to the next bar (or `to` back, descending), and a cursor. */
function nextPathOf(request: AggregatesRequest, continueAt: number, cursor: string): string {
  const { span, sort } = request;
  const from = sort === 'asc' ? String(continueAt) : request.fromText;
  const to = sort === 'asc' ? request.toText : String(span.nextBucketStart(continueAt) - 1);
  return `/v2/aggs/ticker/${pathSegment(request.ticker)}/range/${span.multiplier}/${span.timespan}/${pathSegment(from)}/${pathSegment(to)}?cursor=${cursor}`;
}

function seriesOf({ symbol, span }: AggregatesRequest): SeriesId[] {
  const timeframes = new Set<TimeframeValue>([span.base, '1m']);
  if (span.storedTimeframe) timeframes.add(span.storedTimeframe);
  return [...timeframes].map((timeframe) => ({ symbol, timeframe }));
}

function answerKey(request: AggregatesRequest, versions: string): string {
  const { ticker, span, fromText, toText, start, end, adjusted, sort, limit, cursor } = request;
  const parts: unknown[] = [ANSWER_FORMAT, 'polygon-aggs', ticker, span.toString(), fromText, toText, start, end, adjusted, sort, limit];
  parts.push(cursor?.daySource ?? null, cursor?.storedSource ?? null, versions);
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
