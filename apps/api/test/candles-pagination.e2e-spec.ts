import request from 'supertest';
import type { Candle } from '@app/core';
import { CandleRepository } from '@app/market-data';
import { TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { BarBody, barsAt, sessionMinutes } from './candles-fixtures';

const COUNT = 250_000;
const START = Date.UTC(2023, 0, 3);

/**
 * A year of 1m bars (250k) walked page by page. PostgreSQL only: the in-process
 * TimescaleDB is slow on results this large; candles.e2e-spec pages on both engines.
 */
describe('paging through a year of 1m bars on postgresql', () => {
  let t: TestApp;
  let bars: Candle[];
  let range: string;

  beforeAll(async () => {
    t = await createTestApp('postgresql');
    bars = barsAt('SPY', '1m', sessionMinutes(START, COUNT), 5);
    await t.app.get(CandleRepository).upsertMany(bars);
    range = `timeframe=1m&start=${bars[0].time}&end=${bars[COUNT - 1].time + 60_000}`;
  });

  afterAll(() => t.close());

  it('returns every bar exactly once, unchanged, oldest first, in full pages of the maximum size', async () => {
    const served: BarBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: request.Response = await request(t.server)
        .get(`/api/v1/asset/SPY/candles?${range}&limit=50000${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      pages++;
      expect(response.body.bars).toHaveLength(50_000);
      served.push(...response.body.bars);
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(pages).toBe(5); // the fifth page holds exactly the rest, so it carries no cursor
    expect(served.length).toBe(COUNT);
    const wrong = served.filter((bar, i) => {
      const want = bars[i];
      return (
        bar.time !== new Date(want.time).toISOString() ||
        !Object.is(bar.open, want.open) ||
        !Object.is(bar.high, want.high) ||
        !Object.is(bar.low, want.low) ||
        !Object.is(bar.close, want.close) ||
        !Object.is(bar.volume, want.volume) ||
        !Object.is(bar.vwap, want.vwap) ||
        !Object.is(bar.trades, want.trades)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('walks it newest first as CSV with a ragged last page, losing and repeating nothing', async () => {
    const times: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const response: request.Response = await request(t.server)
        .get(`/api/v1/asset/SPY/candles?${range}&limit=40000&sort=desc&format=csv${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      const rows = response.text.trimEnd().split('\r\n').slice(1);
      sizes.push(rows.length);
      for (const row of rows) times.push(row.slice(0, row.indexOf(',')));
      cursor = response.headers['x-next-cursor'];
    } while (cursor);
    expect(sizes).toEqual([40_000, 40_000, 40_000, 40_000, 40_000, 40_000, 10_000]);
    expect(new Set(times).size).toBe(COUNT);
    expect(times).toEqual(bars.map((bar) => new Date(bar.time).toISOString()).reverse());
  });
});
