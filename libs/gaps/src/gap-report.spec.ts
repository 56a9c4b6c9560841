import { Timeframe } from '@app/core';
import { buildGapReport, bucketCount } from './gap-report';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

describe('gap report', () => {
  it('sorts buckets into stored, missing (split where the coverage ends) and closed runs', () => {
    // Wednesday 2024-03-13: pre-market opens 04:00 EDT = 08:00 UTC.
    const start = at('2024-03-13T07:58:00Z');
    const end = at('2024-03-13T08:06:00Z');
    const stored = [at('2024-03-13T08:00:00Z'), at('2024-03-13T08:03:00Z')];
    const report = buildGapReport({
      symbol: 'AAPL',
      timeframe: Timeframe.of('1m'),
      session: 'extended',
      start,
      end,
      stored,
      covered: [{ start: at('2024-03-13T00:00:00Z'), end: at('2024-03-13T08:02:00Z') }],
    });
    expect(report).toMatchObject({ expectedBars: 6, storedBars: 2, missingBars: 4 });
    expect(report.closed).toEqual([{ start, end: at('2024-03-13T08:00:00Z') }]);
    expect(report.gaps).toEqual([
      { start: at('2024-03-13T08:01:00Z'), end: at('2024-03-13T08:02:00Z'), bars: 1, fetched: true },
      { start: at('2024-03-13T08:02:00Z'), end: at('2024-03-13T08:03:00Z'), bars: 1, fetched: false },
      { start: at('2024-03-13T08:04:00Z'), end: end, bars: 2, fetched: false },
    ]);
  });

  it('counts the buckets a request would walk', () => {
    expect(bucketCount(Timeframe.of('1m'), at('2024-01-01T00:00:30Z'), at('2024-01-01T01:00:00Z'))).toBe(59);
    expect(bucketCount(Timeframe.of('1h'), 0, 366 * 24 * 60 * MINUTE)).toBe(366 * 24);
  });
});
