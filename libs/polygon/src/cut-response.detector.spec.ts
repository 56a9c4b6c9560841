import { Timeframe } from '@app/core';
import { FinalPage, detectCut } from './cut-response.detector';

const NOW = Date.UTC(2024, 5, 1);

function page(overrides: Partial<FinalPage>): FinalPage {
  return {
    symbol: 'AAPL',
    timeframe: Timeframe.of('1m'),
    window: { start: Date.UTC(2024, 0, 2, 9), end: Date.UTC(2024, 0, 9, 1) },
    lastBarTime: Date.UTC(2024, 0, 9, 0, 59),
    queryCount: 4_700,
    resultsCount: 4_700,
    pageLimit: 50_000,
    horizon: NOW,
    ...overrides,
  };
}

describe('detectCut', () => {
  it('accepts a complete answer and an empty one', () => {
    expect(detectCut(page({}))).toEqual({ cut: false });
    expect(detectCut(page({ lastBarTime: undefined, queryCount: 0, resultsCount: 0 }))).toEqual({ cut: false });
  });

  it('calls an answer at the base-aggregate limit cut', () => {
    expect(detectCut(page({ queryCount: 50_000 }))).toMatchObject({ cut: true, cause: 'at-limit' });
    expect(detectCut(page({ resultsCount: 49_600, queryCount: 49_600 }))).toMatchObject({ cut: true, cause: 'at-limit' });
  });

  it('calls an answer that stops a trading day before the window end cut', () => {
    const verdict = detectCut(page({ lastBarTime: Date.UTC(2024, 0, 5, 18) }));
    expect(verdict).toMatchObject({ cut: true, cause: 'ends-early' });
  });

  it('accepts a quiet evening or a weekend at the end of the window', () => {
    // Last bar at 16:00 New York on Friday; the window ends Monday 04:00: after-hours and a weekend only.
    expect(
      detectCut(page({ window: { start: Date.UTC(2024, 0, 2, 9), end: Date.UTC(2024, 0, 8, 9) }, lastBarTime: Date.UTC(2024, 0, 5, 21) })),
    ).toEqual({
      cut: false,
    });
  });

  it('does not expect bars that cannot be published yet', () => {
    expect(detectCut(page({ lastBarTime: Date.UTC(2024, 0, 5, 18), horizon: Date.UTC(2024, 0, 5, 18, 30) }))).toEqual({ cut: false });
  });

  it('counts missing day bars on trading days only', () => {
    const day = Timeframe.of('1d');
    const window = { start: Date.UTC(2023, 11, 1, 5), end: Date.UTC(2024, 0, 2, 5) };
    // Last bar Friday 2023-12-22; then 26, 27, 28, 29 trade (25th is Christmas): cut.
    expect(detectCut(page({ timeframe: day, window, lastBarTime: Date.UTC(2023, 11, 22, 5) }))).toMatchObject({ cut: true });
    // Last bar 2023-12-28: only the 29th is missing.
    expect(detectCut(page({ timeframe: day, window, lastBarTime: Date.UTC(2023, 11, 28, 5) }))).toEqual({ cut: false });
  });
});
