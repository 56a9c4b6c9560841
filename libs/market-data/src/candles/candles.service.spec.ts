import { AppConfigService, type Env } from '@app/config';
import {
  type Candle,
  type CandleRangeQuery,
  type Clock,
  DAY_MS,
  HOUR_MS,
  InvalidFieldError,
  InvalidTimeframeError,
  type TimeframeValue,
} from '@app/core';
import type { SessionKind } from '@app/calendar';
import type { CandleSourceSelector, SourceDecision } from './candle-source-selector';
import { type CandlePage, type CandlesRequest, CandlesService } from './candles.service';
import type { ServedCandle, ServedSource } from './served-candle';

/**
 * Fast tier: CandlesService over the real settings, a pinned clock and bars held in
 * memory. The database specs (candle.repository.spec.ts, apps/api/test/candles*.e2e-spec.ts)
 * cover the same paging against stored rows.
 */

const NOW = Date.UTC(2024, 0, 10, 15, 30);
/** Twelve 1h bars of AAPL, 02:00..13:00 UTC on 10 January 2024. */
const FIRST_BAR = Date.UTC(2024, 0, 10, 2);
const HOURLY = Array.from({ length: 12 }, (_, i) => FIRST_BAR + i * HOUR_MS);
const WINDOW = { start: FIRST_BAR, end: Date.UTC(2024, 0, 10, 14) };

class PinnedClock implements Clock {
  constructor(public at: number) {}

  now(): number {
    return this.at;
  }
}

interface Read {
  source: ServedSource;
  query: CandleRangeQuery;
  session: SessionKind;
  asOf: number;
}

/** Stands in for CandleSourceSelector: answers from an array, records what it was asked. */
class InMemoryCandleSource implements Pick<CandleSourceSelector, 'choose' | 'read'> {
  readonly decisions: SourceDecision[] = [];
  readonly reads: Read[] = [];
  readonly bars: Candle[] = [];

  /** @param auto what `auto` resolves to */
  constructor(private readonly auto: ServedSource = 'native') {}

  add(symbol: string, timeframe: TimeframeValue, times: readonly number[]): this {
    this.bars.push(...times.map((time, i) => bar(symbol, timeframe, time, i)));
    return this;
  }

  async choose(decision: SourceDecision): Promise<ServedSource> {
    this.decisions.push(decision);
    return decision.choice === 'auto' ? this.auto : decision.choice;
  }

  async read(source: ServedSource, query: CandleRangeQuery, session: SessionKind, asOf: number): Promise<ServedCandle[]> {
    this.reads.push({ source, query, session, asOf });
    const direction = query.order === 'desc' ? -1 : 1;
    return this.bars
      .filter((b) => b.symbol === query.symbol && b.timeframe === query.timeframe && b.time >= query.start && b.time < query.end)
      .sort((a, b) => direction * (a.time - b.time))
      .slice(0, query.limit)
      .map((b) => ({ ...b, isComplete: b.time < asOf }));
  }
}

function bar(symbol: string, timeframe: TimeframeValue, time: number, i: number): Candle {
  return {
    symbol,
    timeframe,
    time,
    open: 100 + i,
    high: 101 + i,
    low: 99 + i,
    close: 100.5 + i,
    volume: 1_000 + i,
    vwap: null,
    trades: null,
  };
}

function configOf(env: Env): AppConfigService {
  return AppConfigService.from(env);
}

interface Setup {
  service: CandlesService;
  source: InMemoryCandleSource;
  clock: PinnedClock;
}

function setup({ env = {}, auto = 'native' }: { env?: Env; auto?: ServedSource } = {}): Setup {
  const source = new InMemoryCandleSource(auto).add('AAPL', '1h', HOURLY);
  const clock = new PinnedClock(NOW);
  return { service: new CandlesService(configOf(env), source, clock), source, clock };
}

/** Follows nextCursor to the end; the request is repeated unchanged apart from the cursor. */
async function allPages(service: CandlesService, request: CandlesRequest): Promise<CandlePage[]> {
  const pages = [await service.page(request)];
  while (pages[pages.length - 1].nextCursor) {
    if (pages.length > 50) throw new Error('cursor never ends');
    pages.push(await service.page({ ...request, cursor: pages[pages.length - 1].nextCursor! }));
  }
  return pages;
}

const timesOf = (page: CandlePage) => page.bars.map((b) => b.time);

/** Runs `act`, expecting an InvalidFieldError; returns it. */
async function invalidField(act: () => Promise<unknown>): Promise<InvalidFieldError> {
  const error = await act().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidFieldError);
  return error as InvalidFieldError;
}

describe('CandlesService.page window', () => {
  it.each<[TimeframeValue, number]>([
    ['1m', DAY_MS],
    ['1h', 90 * DAY_MS],
    ['1d', 5 * 365 * DAY_MS],
    ['1w', 20 * 365 * DAY_MS],
  ])("without start or end, reads %s bars from its lookback before the clock's now up to now", async (timeframe, lookback) => {
    const { service, source } = setup();
    const page = await service.page({ symbol: 'AAPL', timeframe });
    const window = { start: NOW - lookback, end: NOW };
    expect(page.window).toEqual(window);
    expect(source.decisions).toEqual([expect.objectContaining({ window, asOf: NOW })]);
    expect(source.reads).toEqual([
      expect.objectContaining({ asOf: NOW, query: expect.objectContaining({ start: window.start, end: window.end }) }),
    ]);
  });

  it('counts the default start back from an explicit end', async () => {
    const { service } = setup();
    const end = Date.UTC(2023, 5, 1);
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', end });
    expect(page.window).toEqual({ start: end - 90 * DAY_MS, end });
  });

  it('keeps an explicit start and ends it at now', async () => {
    const { service } = setup();
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', start: FIRST_BAR });
    expect(page.window).toEqual({ start: FIRST_BAR, end: NOW });
    expect(timesOf(page)).toEqual(HOURLY);
  });

  it('serves 1h when no timeframe is asked for, or the first allowed one when 1h is not allowed', async () => {
    expect((await setup().service.page({ symbol: 'AAPL' })).timeframe.value).toBe('1h');
    // "First" is the order ALLOWED_TIMEFRAMES lists them in; this list is also shortest first.
    const restricted = setup({ env: { ALLOWED_TIMEFRAMES: '5m,1d', DEFAULT_TIMEFRAMES: '5m' } });
    const page = await restricted.service.page({ symbol: 'AAPL' });
    expect(page.timeframe.value).toBe('5m');
    expect(page.window).toEqual({ start: NOW - 7 * DAY_MS, end: NOW });
  });

  it('refuses a timeframe that is not allowed before reading anything', async () => {
    const { service, source } = setup({ env: { ALLOWED_TIMEFRAMES: '1m,1h', DEFAULT_TIMEFRAMES: '1h' } });
    await expect(service.page({ symbol: 'AAPL', timeframe: '1d' })).rejects.toBeInstanceOf(InvalidTimeframeError);
    await expect(service.page({ symbol: 'AAPL', timeframe: '2h' })).rejects.toBeInstanceOf(InvalidTimeframeError);
    expect(source.reads).toEqual([]);
  });

  it.each([
    ['equals end', { start: WINDOW.end, end: WINDOW.end }],
    ['is after end', { start: WINDOW.end + 1, end: WINDOW.end }],
  ])('refuses a start that %s, naming start', async (_case, range) => {
    const { service, source } = setup();
    const error = await invalidField(() => service.page({ symbol: 'AAPL', timeframe: '1h', ...range }));
    expect(error.field).toBe('start');
    expect(error.reason).toBe(`must be before end (${new Date(range.end).toISOString()}); got ${new Date(range.start).toISOString()}`);
    expect(source.decisions).toEqual([]);
    expect(source.reads).toEqual([]);
  });

  it('refuses a start at or after the defaulted end, saying the end is now', async () => {
    const { service } = setup();
    for (const start of [NOW, NOW + HOUR_MS]) {
      const error = await invalidField(() => service.page({ symbol: 'AAPL', timeframe: '1h', start }));
      expect(error.field).toBe('start');
      expect(error.reason).toContain(`end, which defaults to now (${new Date(NOW).toISOString()})`);
    }
  });

  it('accepts a window one millisecond wide', async () => {
    const { service } = setup();
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', start: HOURLY[3], end: HOURLY[3] + 1 });
    expect(timesOf(page)).toEqual([HOURLY[3]]);
    expect(page.nextCursor).toBeNull();
  });
});

describe('CandlesService.page limit', () => {
  const env = { CANDLES_PAGE_SIZE: '4', CANDLES_MAX_PAGE_SIZE: '6' };

  it('refuses a limit above CANDLES_MAX_PAGE_SIZE, naming limit', async () => {
    const { service, source } = setup({ env });
    const error = await invalidField(() =>
      service.page({ symbol: 'AAPL', timeframe: '1h', start: WINDOW.start, end: WINDOW.end, limit: 7 }),
    );
    expect(error.field).toBe('limit');
    expect(error.reason).toBe('must not be greater than 6');
    expect(source.reads).toEqual([]);
  });

  it('takes a limit of exactly the maximum, reading one bar more to know whether more follow', async () => {
    const { service, source } = setup({ env });
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW, limit: 6 });
    expect(page.bars).toHaveLength(6);
    expect(source.reads[0].query.limit).toBe(7);
  });

  it('uses CANDLES_PAGE_SIZE when no limit is given', async () => {
    const { service } = setup({ env });
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW });
    expect(timesOf(page)).toEqual(HOURLY.slice(0, 4));
    expect(page.nextCursor).not.toBeNull();
  });

  it('caps the default page size at the maximum', async () => {
    const { service, source } = setup({ env: { CANDLES_PAGE_SIZE: '10', CANDLES_MAX_PAGE_SIZE: '3' } });
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW });
    expect(page.bars).toHaveLength(3);
    expect(source.reads[0].query.limit).toBe(4);
  });
});

describe('CandlesService.page cursor', () => {
  it.each([
    ['asc', HOURLY],
    ['desc', [...HOURLY].reverse()],
  ] as const)('pages %s through the window: every bar once, in order, a cursor on every page but the last', async (sort, expected) => {
    const { service } = setup();
    const pages = await allPages(service, { symbol: 'AAPL', timeframe: '1h', ...WINDOW, sort, limit: 5 });
    expect(pages.map((p) => p.bars.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap(timesOf)).toEqual(expected);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
    for (const page of pages) expect(page.window).toEqual(WINDOW);
  });

  it.each(['asc', 'desc'] as const)('ends %s on a full page without a cursor when the bars run out exactly at the limit', async (sort) => {
    const { service } = setup();
    const pages = await allPages(service, { symbol: 'AAPL', timeframe: '1h', ...WINDOW, sort, limit: 6 });
    expect(pages.map((p) => p.bars.length)).toEqual([6, 6]);
    expect(pages[1].nextCursor).toBeNull();
    expect(new Set(pages.flatMap(timesOf)).size).toBe(12);

    const single = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW, sort, limit: 12 });
    expect(single.bars).toHaveLength(12);
    expect(single.nextCursor).toBeNull();
  });

  it('answers an empty window with no bars and no cursor', async () => {
    const { service } = setup();
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', start: NOW - HOUR_MS, end: NOW, limit: 1 });
    expect(page.bars).toEqual([]);
    expect(page.nextCursor).toBeNull();
  });

  it('lets the page size change between pages', async () => {
    const { service } = setup();
    const request: CandlesRequest = { symbol: 'AAPL', timeframe: '1h', ...WINDOW, limit: 5 };
    const first = await service.page(request);
    const second = await service.page({ ...request, limit: 2, cursor: first.nextCursor! });
    const rest = await service.page({ ...request, limit: 50, cursor: second.nextCursor! });
    expect([...timesOf(first), ...timesOf(second), ...timesOf(rest)]).toEqual(HOURLY);
    expect(rest.nextCursor).toBeNull();
  });

  it('keeps the window of the first page while the clock moves on, so a defaulted end stays put', async () => {
    const { service, source, clock } = setup();
    const request: CandlesRequest = { symbol: 'AAPL', timeframe: '1h', start: FIRST_BAR, limit: 5 };
    const first = await service.page(request);
    expect(first.window).toEqual({ start: FIRST_BAR, end: NOW });

    // Two hours later, two more bars were stored after the first page's end.
    const newer = [Date.UTC(2024, 0, 10, 16), Date.UTC(2024, 0, 10, 17)];
    source.add('AAPL', '1h', newer);
    clock.at = NOW + 2 * HOUR_MS;

    const pages = [first, ...(await allPages(service, { ...request, cursor: first.nextCursor! }))];
    expect(pages.flatMap(timesOf)).toEqual(HOURLY);
    for (const page of pages) expect(page.window).toEqual({ start: FIRST_BAR, end: NOW });
    // Completeness and source choice are still judged at the current time.
    expect(source.reads[source.reads.length - 1].asOf).toBe(NOW + 2 * HOUR_MS);

    // A new query (no cursor) sees them.
    const fresh = await service.page({ ...request, limit: 50 });
    expect(timesOf(fresh)).toEqual([...HOURLY, ...newer]);
  });

  it.each<[string, Partial<CandlesRequest>]>([
    ['symbol', { symbol: 'MSFT' }],
    ['timeframe', { timeframe: '1d' }],
    ['sort', { sort: 'desc' }],
    ['start', { start: WINDOW.start + 1 }],
    ['end', { end: undefined }],
    ['source', { source: 'derived' }],
    ['session', { session: 'regular' }],
  ])('refuses a cursor sent with another %s, naming cursor', async (_what, change) => {
    const { service, source } = setup();
    const request: CandlesRequest = { symbol: 'AAPL', timeframe: '1h', ...WINDOW, limit: 5 };
    const { nextCursor } = await service.page(request);
    const readsBefore = source.reads.length;
    const error = await invalidField(() => service.page({ ...request, ...change, cursor: nextCursor! }));
    expect(error.field).toBe('cursor');
    expect(error.reason).toMatch(/belongs to a different query/);
    expect(source.reads).toHaveLength(readsBefore);
  });

  it.each(['not-a-cursor', 'eyJ4IjoxfQ', '!!'])('refuses %j as a cursor, naming cursor', async (cursor) => {
    const { service } = setup();
    const error = await invalidField(() => service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW, cursor }));
    expect(error.field).toBe('cursor');
    expect(error.reason).toBe('is not a cursor issued by this API');
  });
});

describe('CandlesService.page source and session', () => {
  it('refuses derived 1m bars, naming source', async () => {
    const { service, source } = setup();
    const error = await invalidField(() => service.page({ symbol: 'AAPL', timeframe: '1m', source: 'derived' }));
    expect(error.field).toBe('source');
    expect(source.decisions).toEqual([]);
  });

  it.each<[string, Partial<CandlesRequest>]>([
    ['1m bars', { timeframe: '1m' }],
    ['stored (native) bars', { timeframe: '1h', source: 'native' }],
  ])('refuses the regular session of a stock for %s, naming session', async (_what, change) => {
    const { service, source } = setup();
    const error = await invalidField(() => service.page({ symbol: 'AAPL', session: 'regular', ...change }));
    expect(error.field).toBe('session');
    expect(source.reads).toEqual([]);
  });

  it('serves the regular session of a stock from auto or derived, passing the session on', async () => {
    const { service, source } = setup({ auto: 'derived' });
    const auto = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW, session: 'regular' });
    const derived = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW, session: 'regular', source: 'derived' });
    expect([auto.source, derived.source]).toEqual(['derived', 'derived']);
    expect(source.decisions.map((d) => [d.choice, d.session])).toEqual([
      ['auto', 'regular'],
      ['derived', 'regular'],
    ]);
    expect(source.reads.map((r) => [r.source, r.session])).toEqual([
      ['derived', 'regular'],
      ['derived', 'regular'],
    ]);
  });

  it('ignores the session of symbols that are not US stocks', async () => {
    const { service, source } = setup();
    source.add('X:BTCUSD', '1m', [NOW - 2 * 60_000, NOW - 60_000]);
    const page = await service.page({ symbol: 'X:BTCUSD', timeframe: '1m', session: 'regular', source: 'native' });
    expect(page.bars).toHaveLength(2);
    expect(source.decisions[0].session).toBe('extended');
    expect(source.reads[0].session).toBe('extended');
  });

  it('reads from the source chosen for the window and reports it', async () => {
    const { service, source } = setup({ auto: 'derived' });
    const page = await service.page({ symbol: 'AAPL', timeframe: '1h', ...WINDOW });
    expect(source.decisions[0]).toMatchObject({ symbol: 'AAPL', choice: 'auto', session: 'extended', window: WINDOW, asOf: NOW });
    expect(source.decisions[0].timeframe.value).toBe('1h');
    expect(page.source).toBe('derived');
    expect(source.reads[0]).toMatchObject({ source: 'derived', query: { symbol: 'AAPL', timeframe: '1h', order: 'asc' } });
  });

  it('judges the source on the whole window on every page, not on the part left', async () => {
    const { service, source } = setup();
    await allPages(service, { symbol: 'AAPL', timeframe: '1h', ...WINDOW, limit: 5 });
    expect(source.decisions.map((d) => d.window)).toEqual([WINDOW, WINDOW, WINDOW]);
    expect(source.reads.map((r) => r.query.start)).toEqual([WINDOW.start, HOURLY[4] + 1, HOURLY[9] + 1]);
  });
});
