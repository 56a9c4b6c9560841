import { assetClassOf, Timeframe } from '@app/core';
import { tradingWindows } from '@app/calendar';
import { SPY_FIXTURE_END, SPY_FIXTURE_START, spyMinuteBarsBetween } from './spy-minute.fixture';
import { WireBar, aggregateBars, orderLikeProvider } from './wire-bar';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Prices are whole ticks of 0.0001; dividing by 10000 gives the same double as parsing the decimal. */
const TICKS = 10_000;
/** Generated tickers split 4:1 here (like AAPL in 2020): unadjusted bars before it differ. */
export const FAKE_SPLIT_AT = Date.UTC(2020, 7, 31, 4);
const SPLIT_RATIO = 4;
const DAY = Timeframe.of('1d');
/** UTC days of minute bars kept (about 1000 bars each): a year of one symbol, bounded memory. */
const MINUTE_CACHE_DAYS = 800;

export interface FakeMarketOptions {
  /**
   * 'extended' (default): stock bars 04:00-20:00 New York on NYSE trading days, as the
   * calendar says. 'always': stocks trade every minute too (an overnight venue), so a client
   * that plans windows from the calendar underestimates the bars in them.
   */
  stockSession?: 'extended' | 'always';
  /** Bars are published once their minute is over (default: the real clock). */
  now?: () => number;
}

interface Revision {
  ticker: string;
  from: number;
  to: number;
  revision: number;
}

/**
 * Deterministic minute bars for any ticker: stocks in extended hours on NYSE trading days
 * (with a few quiet minutes), crypto (X:) around the clock, forex and indices per the
 * calendar; real SPY bars for January 2011. Prices live on a 0.0001 grid, so
 * low <= min(open, close) <= max(open, close) <= high holds exactly. Day bars aggregate the
 * New York day's minutes; wider bars aggregate those, as the provider's do.
 */
export class FakeMarket {
  private readonly revisions: Revision[] = [];
  /** Grows with every revision: answers made before it are stale. */
  private revisionCount = 0;
  private readonly dayCache = new Map<string, WireBar | null>();
  private readonly minuteCache = new Map<string, WireBar[]>();

  constructor(private readonly options: FakeMarketOptions = {}) {}

  now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get version(): number {
    return this.revisionCount;
  }

  /** Re-publishes bars of `ticker` in [from, to) with changed close/high/volume (late trades). */
  revise(ticker: string, from: number, to: number): void {
    const revision = this.revisions.filter((r) => r.ticker === ticker).length + 1;
    this.revisions.push({ ticker, from, to, revision });
    this.revisionCount++;
    this.dayCache.clear();
    this.minuteCache.clear();
  }

  /**
   * Published minute bars with start in [from, to), ascending. Shared objects: read, do not
   * change them. Whole UTC days are kept once made, as a provider serves stored bars.
   */
  minuteBars(ticker: string, from: number, to: number, adjusted: boolean): WireBar[] {
    const end = Math.min(to, Math.floor(this.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS + 1);
    if (from >= end) return [];
    const bars: WireBar[] = [];
    for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
      const dayBars = this.utcDayBars(ticker, day, adjusted);
      if (dayBars === undefined) {
        bars.push(...this.makeMinuteBars(ticker, Math.max(from, day), Math.min(end, day + DAY_MS), adjusted));
        continue;
      }
      const first = from <= day ? 0 : lowerBound(dayBars, from);
      const last = end >= day + DAY_MS ? dayBars.length : lowerBound(dayBars, end);
      for (let i = first; i < last; i++) bars.push(dayBars[i]);
    }
    return bars;
  }

  /** The bars of a whole UTC day once it is over (kept), else undefined. */
  private utcDayBars(ticker: string, day: number, adjusted: boolean): WireBar[] | undefined {
    if (day + DAY_MS > this.now()) return undefined;
    const key = `${ticker}|${adjusted}|${day}`;
    let bars = this.minuteCache.get(key);
    if (!bars) {
      bars = this.makeMinuteBars(ticker, day, day + DAY_MS, adjusted);
      if (this.minuteCache.size >= MINUTE_CACHE_DAYS) this.minuteCache.clear();
      this.minuteCache.set(key, bars);
    }
    return bars;
  }

  private makeMinuteBars(ticker: string, from: number, end: number, adjusted: boolean): WireBar[] {
    if (ticker === 'SPY' && from < SPY_FIXTURE_END && end > SPY_FIXTURE_START) {
      return [
        ...this.generatedBars(ticker, from, Math.min(end, SPY_FIXTURE_START), adjusted),
        ...spyMinuteBarsBetween(Math.max(from, SPY_FIXTURE_START), Math.min(end, SPY_FIXTURE_END)).map(orderLikeProvider),
        ...this.generatedBars(ticker, Math.max(from, SPY_FIXTURE_END), end, adjusted),
      ];
    }
    return this.generatedBars(ticker, from, end, adjusted);
  }

  /** The bar of the New York day starting at `dayStart`, or null without trades. */
  dayBar(ticker: string, dayStart: number, adjusted: boolean): WireBar | null {
    const dayEnd = DAY.nextBucketStart(dayStart);
    const complete = dayEnd <= this.now();
    const key = `${ticker}|${adjusted}|${dayStart}`;
    if (complete && this.dayCache.has(key)) return this.dayCache.get(key)!;
    const minutes = this.minuteBars(ticker, dayStart, dayEnd, adjusted);
    const bar = minutes.length ? aggregateBars(minutes, dayStart) : null;
    if (complete) {
      if (this.dayCache.size > 100_000) this.dayCache.clear();
      this.dayCache.set(key, bar);
    }
    return bar;
  }

  private generatedBars(ticker: string, from: number, to: number, adjusted: boolean): WireBar[] {
    if (from >= to) return [];
    const seed = hashString(ticker);
    const stock = assetClassOf(ticker) === 'stocks';
    const periods =
      stock && this.options.stockSession === 'always'
        ? [{ start: from, end: to }]
        : tradingWindows(ticker, new Date(from), new Date(to), 'extended').map((w) => ({ start: w.start.getTime(), end: w.end.getTime() }));
    const revisions = this.revisions.filter((r) => r.ticker === ticker && r.from < to && r.to > from);
    const bars: WireBar[] = [];
    for (const period of periods) {
      const first = Math.ceil(period.start / MINUTE_MS) * MINUTE_MS;
      for (let t = first; t < period.end; t += MINUTE_MS) {
        const bar = syntheticMinute(seed, t, stock);
        if (!bar) continue;
        const revision = latestRevision(revisions, t);
        if (revision) revise(bar, revision);
        bars.push(adjusted || t >= FAKE_SPLIT_AT ? bar : unadjusted(bar));
      }
    }
    return bars;
  }
}

/** Price level in ticks: slow cycles, so bars look like a market and neighbours agree. */
function levelTicks(seed: number, t: number): number {
  const base = 20 + (seed % 480);
  const phase = ((seed >>> 9) % 1000) / 159.15;
  const level =
    base *
    (1 +
      0.2 * Math.sin(t / ((97 * DAY_MS) / (2 * Math.PI)) + phase) +
      0.05 * Math.sin(t / ((5.3 * DAY_MS) / (2 * Math.PI)) + 2 * phase) +
      0.004 * Math.sin(t / ((47 * MINUTE_MS) / (2 * Math.PI)) + 3 * phase));
  return level * TICKS;
}

function syntheticMinute(seed: number, t: number, stock: boolean): WireBar | undefined {
  const minuteSeed = mix(seed, t / MINUTE_MS);
  const random = (k: number): number => mix(minuteSeed, k) / 4294967296;
  // A quiet stock minute has no trade, hence no bar.
  if (stock && random(0) < 0.02) return undefined;
  const open = Math.max(100, Math.round(levelTicks(seed, t) * (1 + (random(1) - 0.5) * 0.0004)));
  const close = Math.max(100, Math.round(levelTicks(seed, t + MINUTE_MS) * (1 + (random(2) - 0.5) * 0.0004)));
  const high = Math.max(open, close) + Math.floor(random(3) * 0.0008 * open);
  const low = Math.max(1, Math.min(open, close) - Math.floor(random(4) * 0.0008 * open));
  const vwap = low + Math.floor(random(5) * (high - low));
  return {
    v: 100 + Math.floor(random(6) * 20_000),
    vw: vwap / TICKS,
    o: open / TICKS,
    c: close / TICKS,
    h: high / TICKS,
    l: low / TICKS,
    t,
    n: 1 + Math.floor(random(7) * 300),
  };
}

function lowerBound(bars: readonly WireBar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function latestRevision(revisions: readonly Revision[], t: number): number {
  let latest = 0;
  for (const r of revisions) if (t >= r.from && t < r.to && r.revision > latest) latest = r.revision;
  return latest;
}

/** Late trades: a higher close (and high if needed), more volume. Stays on the tick grid. */
function revise(bar: WireBar, revision: number): void {
  const close = Math.round(bar.c * TICKS) + 7 * revision;
  bar.c = close / TICKS;
  if (close > Math.round(bar.h * TICKS)) bar.h = bar.c;
  bar.v += 100 * revision;
}

function unadjusted(bar: WireBar): WireBar {
  const scale = (price: number): number => (Math.round(price * TICKS) * SPLIT_RATIO) / TICKS;
  return {
    v: bar.v / SPLIT_RATIO,
    ...(bar.vw !== undefined ? { vw: scale(bar.vw) } : {}),
    o: scale(bar.o),
    c: scale(bar.c),
    h: scale(bar.h),
    l: scale(bar.l),
    t: bar.t,
    ...(bar.n !== undefined ? { n: bar.n } : {}),
  };
}

function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** A 32-bit integer mix (murmur3 finaliser): cheap, deterministic, well spread. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ (b | 0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
