import { tradingWindows } from '@app/calendar';
import { BucketToJudge, isBucketComplete, regularMinutesByHalf, spansOf, withSplit } from './bucket-completeness';

const at = (iso: string): number => Date.parse(iso);
const LATER = at('2030-01-01T00:00:00Z');

/** A New York day bucket of 2024-11-27 (a normal Wednesday, EST) for a stock, complete unless overridden. */
function wednesday(overrides: Partial<BucketToJudge> = {}): BucketToJudge {
  return {
    symbol: 'SPY',
    session: 'extended',
    start: at('2024-11-27T05:00:00Z'),
    end: at('2024-11-28T05:00:00Z'),
    tally: { minuteBars: 700, regularMorningBars: 210, regularAfternoonBars: 180 },
    asOf: LATER,
    newestMinuteBar: at('2024-11-28T00:59:00Z'), // 19:59 EST, the last after-hours minute
    ...overrides,
  };
}

describe('isBucketComplete', () => {
  it('a bucket whose window has not ended is incomplete, whatever it holds', () => {
    expect(isBucketComplete(wednesday())).toBe(true);
    expect(isBucketComplete(wednesday({ asOf: at('2024-11-28T04:59:59Z') }))).toBe(false);
    expect(isBucketComplete(wednesday({ asOf: at('2024-11-28T05:00:00Z') }))).toBe(true);
  });

  it('a stock needs every regular minute: 210 before 13:00 and 180 after, in either session', () => {
    for (const session of ['regular', 'extended'] as const) {
      expect(isBucketComplete(wednesday({ session, tally: { minuteBars: 389, regularMorningBars: 210, regularAfternoonBars: 179 } }))).toBe(
        false,
      );
      expect(isBucketComplete(wednesday({ session, tally: { minuteBars: 389, regularMorningBars: 209, regularAfternoonBars: 180 } }))).toBe(
        false,
      );
      expect(isBucketComplete(wednesday({ session, tally: { minuteBars: 390, regularMorningBars: 210, regularAfternoonBars: 180 } }))).toBe(
        true,
      );
    }
  });

  it('extended: the feed must reach the last after-hours minute; the regular session does not ask', () => {
    expect(isBucketComplete(wednesday({ newestMinuteBar: at('2024-11-28T00:58:00Z') }))).toBe(false);
    expect(isBucketComplete(wednesday({ newestMinuteBar: null }))).toBe(false);
    expect(isBucketComplete(wednesday({ newestMinuteBar: at('2024-12-02T09:00:00Z') }))).toBe(true);
    expect(isBucketComplete(wednesday({ session: 'regular', newestMinuteBar: null }))).toBe(true);
  });

  it('on an early close (2024-11-29) the session is 210 minutes, and after-hours bars cannot replace a missing one', () => {
    const friday = (tally: BucketToJudge['tally'], newestMinuteBar = at('2024-11-29T21:59:00Z')): BucketToJudge =>
      wednesday({ start: at('2024-11-29T05:00:00Z'), end: at('2024-11-30T05:00:00Z'), tally, newestMinuteBar });
    expect(isBucketComplete(friday({ minuteBars: 600, regularMorningBars: 210, regularAfternoonBars: 180 }))).toBe(true);
    expect(isBucketComplete(friday({ minuteBars: 600, regularMorningBars: 209, regularAfternoonBars: 181 }))).toBe(false);
    // After-hours end at 17:00 on early closes: the last expected minute is 16:59 EST.
    expect(
      isBucketComplete(friday({ minuteBars: 600, regularMorningBars: 210, regularAfternoonBars: 0 }, at('2024-11-29T21:58:00Z'))),
    ).toBe(false);
  });

  it('a stock bucket with no session at all (a weekend day, Thanksgiving) is complete once ended', () => {
    const thanksgiving = wednesday({
      start: at('2024-11-28T05:00:00Z'),
      end: at('2024-11-29T05:00:00Z'),
      tally: { minuteBars: 0, regularMorningBars: 0, regularAfternoonBars: 0 },
      newestMinuteBar: null,
    });
    expect(isBucketComplete(thanksgiving)).toBe(true);
  });

  it('crypto needs a bar for every minute of the bucket: 1440 on a normal day, 1380 on 2024-03-10', () => {
    const day = (start: string, end: string, minuteBars: number): BucketToJudge => ({
      symbol: 'X:BTCUSD',
      session: 'extended',
      start: at(start),
      end: at(end),
      tally: { minuteBars, regularMorningBars: 0, regularAfternoonBars: 0 },
      asOf: LATER,
      newestMinuteBar: null,
    });
    expect(isBucketComplete(day('2024-03-09T05:00:00Z', '2024-03-10T05:00:00Z', 1440))).toBe(true);
    expect(isBucketComplete(day('2024-03-09T05:00:00Z', '2024-03-10T05:00:00Z', 1439))).toBe(false);
    expect(isBucketComplete(day('2024-03-10T05:00:00Z', '2024-03-11T04:00:00Z', 1380))).toBe(true);
    expect(isBucketComplete(day('2024-03-10T05:00:00Z', '2024-03-11T04:00:00Z', 1379))).toBe(false);
  });
});

describe('regularMinutesByHalf', () => {
  const halves = (start: string, end: string) =>
    regularMinutesByHalf(
      spansOf(tradingWindows('SPY', new Date(start), new Date(end), 'regular')).map(withSplit),
      Date.parse(start),
      Date.parse(end),
    );

  it('splits a session at 13:00 New York, in winter and in summer', () => {
    expect(halves('2024-11-27T05:00:00Z', '2024-11-28T05:00:00Z')).toEqual({ morning: 210, afternoon: 180 });
    expect(halves('2024-07-10T04:00:00Z', '2024-07-11T04:00:00Z')).toEqual({ morning: 210, afternoon: 180 });
    expect(halves('2024-11-29T05:00:00Z', '2024-11-30T05:00:00Z')).toEqual({ morning: 210, afternoon: 0 });
  });

  it('counts only the part of the session inside an intraday bucket', () => {
    expect(halves('2024-11-27T14:00:00Z', '2024-11-27T15:00:00Z')).toEqual({ morning: 30, afternoon: 0 });
    expect(halves('2024-11-27T16:00:00Z', '2024-11-27T20:00:00Z')).toEqual({ morning: 120, afternoon: 120 });
    expect(halves('2024-11-25T05:00:00Z', '2024-12-02T05:00:00Z')).toEqual({ morning: 4 * 210, afternoon: 3 * 180 });
  });
});
