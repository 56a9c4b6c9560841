import type { Candle } from '@app/core';
import { type BarReader, type ReadRange, collectAggregatePage } from './aggregate-pager';
import { AggregateSpan } from './aggregate-span';

const MINUTE = 60_000;

function minute(time: number, i: number, timeframe: Candle['timeframe'] = '1m'): Candle {
  return {
    symbol: 'T',
    timeframe,
    time,
    open: 10 + i,
    high: 12 + i,
    low: 9 + i,
    close: 11 + i,
    volume: 100 + i,
    vwap: 10.5 + i,
    trades: i,
  };
}

/** Bars held in memory (ascending), read as the repository reads them; counts the reads. */
class MemoryReader implements BarReader {
  reads: ReadRange[] = [];
  constructor(private readonly bars: readonly Candle[]) {}
  async read(range: ReadRange): Promise<Candle[]> {
    this.reads.push(range);
    const inRange = this.bars.filter((bar) => bar.time >= range.start && bar.time < range.end);
    if (range.order === 'desc') inRange.reverse();
    return inRange.slice(0, range.limit);
  }
}

/** The provider's rule, written plainly: whole buckets, stop before the one that would pass the limit, at least one per page. */
function referencePages(bars: readonly Candle[], span: AggregateSpan, limit: number, sort: 'asc' | 'desc'): number[][] {
  const ordered = sort === 'asc' ? [...bars] : [...bars].reverse();
  const buckets: { bucket: number; size: number }[] = [];
  for (const bar of ordered) {
    const bucket = span.bucketStart(bar.time);
    if (buckets.at(-1)?.bucket === bucket) buckets.at(-1)!.size++;
    else buckets.push({ bucket, size: 1 });
  }
  const pages: number[][] = [];
  let page: number[] = [];
  let count = 0;
  for (const { bucket, size } of buckets) {
    if (page.length && count + size > limit) {
      pages.push(page);
      page = [];
      count = 0;
    }
    page.push(bucket);
    count += size;
  }
  if (page.length) pages.push(page);
  return pages;
}

/** Walks every page as a client following next_url does. */
async function walk(
  reader: BarReader,
  span: AggregateSpan,
  start: number,
  end: number,
  limit: number,
  sort: 'asc' | 'desc',
  stored?: BarReader,
) {
  const pages: { times: number[]; queryCount: number }[] = [];
  let range = { start, end };
  for (;;) {
    const page = await collectAggregatePage({ span, ...range, sort, limit, base: reader, stored });
    pages.push({ times: page.results.map((bar) => bar.t), queryCount: page.queryCount });
    if (page.continueAt === undefined) return pages;
    range = sort === 'asc' ? { start: page.continueAt, end } : { start, end: span.nextBucketStart(page.continueAt) };
    if (pages.length > 1000) throw new Error('does not end');
  }
}

describe('collectAggregatePage', () => {
  // Three hours of minutes with gaps: the 10:00 hour has only 7 bars, 11:00 none.
  const start = Date.UTC(2024, 0, 2, 9);
  const times = [
    ...Array.from({ length: 60 }, (_, i) => start + i * MINUTE),
    ...Array.from({ length: 7 }, (_, i) => start + 60 * MINUTE + i * 8 * MINUTE),
    ...Array.from({ length: 45 }, (_, i) => start + 180 * MINUTE + i * MINUTE),
  ];
  const bars = times.map((time, i) => minute(time, i));
  const end = start + 4 * 60 * MINUTE;

  it.each([
    ['1/minute', AggregateSpan.of(1, 'minute')],
    ['5/minute', AggregateSpan.of(5, 'minute')],
    ['7/minute', AggregateSpan.of(7, 'minute')],
    ['1/hour', AggregateSpan.of(1, 'hour')],
  ])('pages %s exactly as the provider does, both ways, for every limit', async (_, span) => {
    for (const sort of ['asc', 'desc'] as const) {
      for (const limit of [1, 2, 6, 7, 8, 50, 60, 61, 67, 111, 112, 5000]) {
        const pages = await walk(new MemoryReader(bars), span, start, end, limit, sort);
        expect(pages.map((page) => page.times)).toEqual(referencePages(bars, span, limit, sort));
        expect(pages.reduce((sum, page) => sum + page.queryCount, 0)).toBe(bars.length);
      }
    }
  });

  it('keeps a bar whole when it alone passes the limit, and goes on after it', async () => {
    const hour = AggregateSpan.of(1, 'hour');
    const page = await collectAggregatePage({ span: hour, start, end, sort: 'asc', limit: 10, base: new MemoryReader(bars) });
    expect(page.results).toHaveLength(1);
    expect(page.queryCount).toBe(60);
    expect(page.continueAt).toBe(start + 60 * MINUTE);
    expect(page.results[0]).toEqual({
      v: 60 * 100 + (59 * 60) / 2,
      vw: expect.any(Number),
      o: 10,
      c: 11 + 59,
      h: 12 + 59,
      l: 9,
      t: start,
      n: (59 * 60) / 2,
    });
  });

  it('combines bars as derived candles do, and leaves base bars untouched', async () => {
    const [first] = (
      await collectAggregatePage({ span: AggregateSpan.of(1, 'minute'), start, end, sort: 'asc', limit: 1, base: new MemoryReader(bars) })
    ).results;
    expect(first).toEqual({ v: 100, vw: 10.5, o: 10, c: 11, h: 12, l: 9, t: start, n: 0 });
    const { results } = await collectAggregatePage({
      span: AggregateSpan.of(2, 'minute'),
      start,
      end: start + 2 * MINUTE,
      sort: 'desc',
      limit: 10,
      base: new MemoryReader(bars),
    });
    expect(results).toEqual([
      { v: 201, vw: Math.round(((10.5 * 100 + 11.5 * 101) / 201) * 1e4) / 1e4, o: 10, c: 12, h: 13, l: 9, t: start, n: 1 },
    ]);
    expect(results[0].vw).toBe(11.0025);
  });

  it('serves stored bars of the span in place of combined ones, and where base bars are missing', async () => {
    const hour = AggregateSpan.of(1, 'hour');
    const storedHours = [0, 1, 2, 3].map((h) => minute(start + h * 60 * MINUTE, 1000 + h, '1h'));
    const stored = new MemoryReader(storedHours);
    const pages = await walk(new MemoryReader(bars), hour, start, end, 5000, 'asc', stored);
    expect(pages).toEqual([{ times: storedHours.map((bar) => bar.time), queryCount: bars.length }]);
    const { results } = await collectAggregatePage({
      span: hour,
      start,
      end,
      sort: 'asc',
      limit: 5000,
      base: new MemoryReader(bars),
      stored,
    });
    expect(results.map((bar) => bar.o)).toEqual([1010, 1011, 1012, 1013]);
    // With a page limit, stored hours page the same way as combined ones would.
    expect((await walk(new MemoryReader(bars), hour, start, end, 60, 'asc', stored)).map((page) => page.times.length)).toEqual([1, 3]);
  });

  it('pages stored bars alone when no base bar is stored, each counting as a full bar', async () => {
    const hour = AggregateSpan.of(1, 'hour');
    const storedHours = Array.from({ length: 10 }, (_, h) => minute(start + h * 60 * MINUTE, h, '1h'));
    const pages = await walk(new MemoryReader([]), hour, start, start + 10 * 60 * MINUTE, 150, 'desc', new MemoryReader(storedHours));
    expect(pages.map((page) => page.times.length)).toEqual([2, 2, 2, 2, 2]);
    expect(pages.flatMap((page) => page.times)).toEqual(storedHours.map((bar) => bar.time).reverse());
  });

  it('answers an empty or inverted range with no bars and no next page', async () => {
    const reader = new MemoryReader(bars);
    expect(
      await collectAggregatePage({ span: AggregateSpan.of(1, 'minute'), start: end, end: start, sort: 'asc', limit: 10, base: reader }),
    ).toEqual({ results: [], queryCount: 0 });
    expect(reader.reads).toEqual([]);
    expect(
      await collectAggregatePage({
        span: AggregateSpan.of(1, 'minute'),
        start: end,
        end: end + MINUTE,
        sort: 'asc',
        limit: 10,
        base: reader,
      }),
    ).toEqual({ results: [], queryCount: 0 });
  });
});
