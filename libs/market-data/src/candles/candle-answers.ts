import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InvalidFieldError, type TimeframeValue } from '@app/core';
import { AppConfigService } from '@app/config';
import { AnswerCache, type CachedAnswer, type Lookup, type SeriesId, SeriesVersions } from '@app/cache';
import { acceptedEncodings, type ContentEncoding, compress, negotiateEncoding } from '@app/http';
import type { CandleFormat } from './candles-query.dto';
import { toCandlesPageJson } from './candles-page.presenter';
import { toCandlesCsv } from './candles.csv';
import { CANDLE_INDICATORS, type CandleIndicators, type PageIndicators, indicatorSourceOf } from './candle-indicators';
import { toIndicatorCsv, toIndicatorPageJson } from './indicator-values.presenter';
import { type CandlePage, type CandlesRequest, CandlesService, type ResolvedCandlesRequest } from './candles.service';
import { cacheControl, entityTag, matchingTag } from './http-caching';
import type { ServedSource } from './served-candle';

/** Changes whenever the bytes of an answer change shape, so two releases never share entries. */
const ANSWER_FORMAT = 2;

export interface CandlesAnswerRequest {
  candles: CandlesRequest;
  format: CandleFormat;
  acceptEncoding?: string;
  ifNoneMatch?: string;
  /** `indicators=` as the client sent it: their values are added to each bar. */
  indicators?: string;
  /** candles (the default): bars with their values; indicators: only times, completeness and values (/indicators). */
  view?: AnswerView;
}

export type AnswerView = 'candles' | 'indicators';

/** What to render besides the page: the view, and the indicators (canonical list) to attach. */
interface Rendering {
  format: CandleFormat;
  view: AnswerView;
  indicators?: string;
}

/** What the route sends: a full answer, or 304 with the headers that revalidate it. */
export interface CandlesAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  /** Absent on 304. */
  body?: Buffer;
  /** For the Link header, which names the request's own URL and so is not cached. */
  nextCursor: string | null;
}

/** How long an answer holds, and whether it may still change without a write. */
interface Freshness {
  /** Every bar is complete and past the revision window: only a write can change the answer. */
  settled: boolean;
  /** Empty when settled; else the current bucket's start, so the answer is remade at each boundary. */
  epoch: string;
  expiresAt: number;
}

/**
 * /candles answers as bytes, through the answer cache. The key names the query, the versions
 * of the series it reads (its timeframe, and 1m, which every derived bar comes from) and, while
 * its bars may still change with time alone, the current bucket: a write or a bucket boundary
 * makes a new key, so nothing stale can be found. The same key is the ETag, so a 304 costs no
 * database query. Windows that end "now" move with the clock and skip the cache.
 */
@Injectable()
export class CandleAnswers {
  private readonly revisionMs: number;
  private readonly keyedReads: boolean;
  /** With read replicas, how long an answer may be kept at most (see freshness()); Infinity without. */
  private readonly replicaLagMs: number;

  constructor(
    private readonly candles: CandlesService,
    private readonly cache: AnswerCache,
    private readonly versions: SeriesVersions,
    private readonly config: AppConfigService,
    @Optional() @Inject(CANDLE_INDICATORS) private readonly indicators?: CandleIndicators,
  ) {
    this.revisionMs = config.get('REFRESH_REVISION_MINUTES') * 60_000;
    this.keyedReads = Boolean(config.get('API_KEYS')) && config.get('API_KEYS_FOR_READS');
    this.replicaLagMs = config.get('DATABASE_REPLICA_URLS').length ? config.get('REPLICA_MAX_LAG_SECONDS') * 1000 : Infinity;
  }

  async answer(request: CandlesAnswerRequest): Promise<CandlesAnswer> {
    const resolved = this.candles.resolve(request.candles);
    const rendering = this.renderingOf(request);
    if (!this.cache.enabled || resolved.endsAtNow) {
      this.cache.bypassed(this.cache.enabled ? 'moving-window' : 'disabled');
      const identity = await this.produce(resolved, await this.candles.chooseSource(resolved), rendering, resolved.asOf);
      const sent = await this.encoded(identity, negotiateEncoding(request.acceptEncoding, identity.body.length));
      return this.full(
        sent,
        { 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding', 'X-Cache': 'bypass' },
        identity.headers['X-Next-Cursor'] ?? null,
      );
    }

    const now = resolved.asOf;
    const series = seriesRead(resolved);
    const versions = await this.versions.current(resolved.symbol, timeframesOf(series));
    const freshness = this.freshness(resolved);
    const key = answerKey(resolved, rendering, versions, freshness.epoch);

    const revalidated = matchingTag(request.ifNoneMatch, key, acceptedEncodings(request.acceptEncoding));
    if (revalidated) {
      this.cache.notModified();
      const expiresAt = this.cache.peekLocal(key, now)?.expiresAt ?? freshness.expiresAt;
      return { status: 304, headers: this.cacheHeaders(revalidated, freshness.settled, expiresAt - now), nextCursor: null };
    }

    const { answer: identity, tier } = await this.identityOf(resolved, rendering, series, versions, freshness, key);
    const next = identity.headers['X-Next-Cursor'];
    if (request.candles.cursor && next) {
      this.readAhead({ ...request.candles, cursor: next }, rendering, series, versions).catch(() => undefined); // the client's own request will say why
    }
    const encoding = negotiateEncoding(request.acceptEncoding, identity.body.length);
    const sent =
      encoding === 'identity'
        ? identity
        : (await this.cache.getOrProduce(`${key}.${encoding}`, series, now, () => this.encoded(identity, encoding), false)).answer;
    const headers = { ...this.cacheHeaders(entityTag(key, encoding), freshness.settled, sent.expiresAt - now), 'X-Cache': tier };
    return this.full(sent, headers, sent.headers['X-Next-Cursor'] ?? null);
  }

  /** The identity-coded answer under `key`: from the cache, else read and rendered once. */
  private identityOf(
    resolved: ResolvedCandlesRequest,
    rendering: Rendering,
    series: SeriesId[],
    versions: string,
    freshness: Freshness,
    key: string,
  ): Promise<Lookup> {
    return this.cache.getOrProduce(key, series, resolved.asOf, async () =>
      this.produce(resolved, await this.sourceOf(resolved, series, versions, freshness), rendering, freshness.expiresAt),
    );
  }

  /** Reads the page from `source`, attaches the indicators asked for, and renders it. */
  private async produce(resolved: ResolvedCandlesRequest, source: ServedSource, rendering: Rendering, expiresAt: number) {
    const page = await this.candles.read(resolved, source);
    const attached = rendering.indicators === undefined ? undefined : await this.indicators!.over(resolved, page, rendering.indicators);
    return render(page, rendering, expiresAt, attached);
  }

  /** Checks `indicators=` before any cache look-up (400 naming the field), in its canonical form for the key. */
  private renderingOf(request: CandlesAnswerRequest): Rendering {
    const view = request.view ?? 'candles';
    if (request.indicators === undefined) {
      if (view === 'indicators') throw new InvalidFieldError('indicators', 'is required; give at least one, such as rsi:14,sma:20');
      return { format: request.format, view };
    }
    if (!this.indicators) throw new InvalidFieldError('indicators', 'indicators are not served by this application');
    return { format: request.format, view, indicators: this.indicators.canonical(request.indicators) };
  }

  /**
   * A client walking a range with cursors: the next page goes into the cache while it reads this
   * one, so the walk overlaps its server and client halves. One page ahead (the page read ahead
   * does not read ahead itself), under the versions just read: the same series, no second look-up.
   */
  private async readAhead(candles: CandlesRequest, rendering: Rendering, series: SeriesId[], versions: string): Promise<void> {
    const resolved = this.candles.resolve(candles);
    const freshness = this.freshness(resolved);
    await this.identityOf(resolved, rendering, series, versions, freshness, answerKey(resolved, rendering, versions, freshness.epoch));
  }

  /**
   * `auto`'s choice between stored and derived bars, which costs two counting queries: cached
   * under the same versions as the page, so only the first page of a window pays for it.
   */
  private async sourceOf(
    resolved: ResolvedCandlesRequest,
    series: SeriesId[],
    versions: string,
    freshness: Freshness,
  ): Promise<ServedSource> {
    const { choice, timeframe, session, window } = resolved;
    if (choice !== 'auto' || timeframe.value === '1m' || session === 'regular') return this.candles.chooseSource(resolved);
    const key = hash([
      'source',
      ANSWER_FORMAT,
      resolved.symbol,
      timeframe.value,
      session,
      window.start,
      window.end,
      versions,
      freshness.epoch,
    ]);
    const { answer } = await this.cache.getOrProduce(
      key,
      series,
      resolved.asOf,
      async () => ({ body: Buffer.from(await this.candles.chooseSource(resolved)), headers: {}, expiresAt: freshness.expiresAt }),
      false,
    );
    return answer.body.toString() as ServedSource;
  }

  /**
   * With read replicas, a page may be read from a replica that has not replayed the write that
   * made the current version yet, and would be kept under that version's key: no answer is kept
   * longer than a replica may lag (REPLICA_MAX_LAG_SECONDS), so none outlives the lag it was read with.
   */
  private freshness(resolved: ResolvedCandlesRequest): Freshness {
    const { timeframe, window, asOf } = resolved;
    const ttl = Math.min(this.config.get('CACHE_TTLS')[timeframe.value], this.replicaLagMs);
    // The last bar that can be in the window ends at the first boundary at or after its end.
    const settledAt = timeframe.firstBucketAtOrAfter(window.end) + this.revisionMs;
    if (asOf >= settledAt) return { settled: true, epoch: '', expiresAt: asOf + ttl };
    const bucket = timeframe.bucketStart(asOf);
    const untilBoundary = timeframe.nextBucketStart(asOf);
    return { settled: false, epoch: String(bucket), expiresAt: Math.min(untilBoundary, asOf + ttl) };
  }

  private cacheHeaders(tag: string, settled: boolean, remainingMs: number): Record<string, string> {
    return { ETag: tag, 'Cache-Control': cacheControl(settled, remainingMs, this.keyedReads), Vary: 'Accept-Encoding' };
  }

  private full(sent: CachedAnswer, headers: Record<string, string>, nextCursor: string | null): CandlesAnswer {
    return { status: 200, headers: { ...sent.headers, ...headers }, body: sent.body, nextCursor };
  }

  private async encoded(identity: CachedAnswer, encoding: ContentEncoding): Promise<CachedAnswer> {
    if (encoding === 'identity') return identity;
    return {
      body: await compress(identity.body, encoding),
      headers: { ...identity.headers, 'Content-Encoding': encoding },
      expiresAt: identity.expiresAt,
    };
  }
}

/** The series an answer is made of: its timeframe's stored bars and the 1m bars others derive from. */
function seriesRead({ symbol, timeframe }: ResolvedCandlesRequest): SeriesId[] {
  return timeframe.value === '1m'
    ? [{ symbol, timeframe: '1m' }]
    : [
        { symbol, timeframe: timeframe.value },
        { symbol, timeframe: '1m' },
      ];
}

function timeframesOf(series: readonly SeriesId[]): TimeframeValue[] {
  return series.map(({ timeframe }) => timeframe);
}

function answerKey(resolved: ResolvedCandlesRequest, rendering: Rendering, versions: string, epoch: string): string {
  const { symbol, timeframe, window, after, limit, sort, choice, session } = resolved;
  const { format, view, indicators } = rendering;
  return hash([
    ANSWER_FORMAT,
    symbol,
    timeframe.value,
    window.start,
    window.end,
    after ?? null,
    limit,
    sort,
    choice,
    session,
    format,
    view,
    indicators ?? null,
    versions,
    epoch,
  ]);
}

function hash(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** The bytes and the headers that describe them; the only place a page becomes an answer. */
function render(page: CandlePage, rendering: Rendering, expiresAt: number, indicators?: PageIndicators): CachedAnswer {
  const headers: Record<string, string> = { 'X-Candle-Source': page.source };
  if (indicators) headers['X-Indicator-Source'] = indicatorSourceOf(indicators);
  if (page.nextCursor) headers['X-Next-Cursor'] = page.nextCursor;
  const valuesOnly = rendering.view === 'indicators' && indicators;
  if (rendering.format === 'csv') {
    const name = `${page.symbol.replace(/[^A-Z0-9.]/g, '_')}-${page.timeframe.value}${valuesOnly ? '-indicators' : ''}.csv`;
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    headers['Content-Disposition'] = `inline; filename="${name}"`;
    return { body: Buffer.from(valuesOnly ? toIndicatorCsv(page, indicators) : toCandlesCsv(page, indicators)), headers, expiresAt };
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return {
    body: Buffer.from(valuesOnly ? toIndicatorPageJson(page, indicators) : toCandlesPageJson(page, indicators)),
    headers,
    expiresAt,
  };
}
