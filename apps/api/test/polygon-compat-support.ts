import type { Env } from '@app/config';
import type { Engine } from '@app/database';
import { freePort, type TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';

/**
 * What the Polygon-compatible tests share: the whole API listening on a real port (the official
 * clients need a URL), and the two official JavaScript clients behind one small interface.
 */
export interface ListeningApp extends TestApp {
  /** http://127.0.0.1:<port>, also PUBLIC_BASE_URL unless the test says otherwise. */
  url: string;
}

export async function listeningApp(engine: Engine, env: Env, options: Parameters<typeof createTestApp>[1] = {}): Promise<ListeningApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await createTestApp(engine, { ...options, env: { PUBLIC_BASE_URL: url, ...env, ...options.env } });
  await t.app.listen(port, '127.0.0.1');
  return { ...t, url };
}

export interface AggregatesCall {
  ticker: string;
  multiplier: number;
  timespan: string;
  from: string;
  to: string;
  adjusted?: boolean;
  sort?: 'asc' | 'desc';
  limit?: number;
}

export interface IndicatorCall {
  ticker: string;
  timespan?: string;
  window?: number;
  shortWindow?: number;
  longWindow?: number;
  signalWindow?: number;
  expandUnderlying?: boolean;
  order?: 'asc' | 'desc';
  limit?: number;
  timestampGte?: string;
  timestampLte?: string;
}

/** The calls the tests make, the same on both clients (their argument styles differ). */
export interface PolygonClient {
  readonly name: string;
  aggregates(call: AggregatesCall): Promise<unknown>;
  previousClose(ticker: string): Promise<unknown>;
  indicator(kind: 'sma' | 'ema' | 'rsi' | 'macd', call: IndicatorCall): Promise<unknown>;
}

export type ClientName = '@polygon.io/client-js' | '@massive.com/client-js';
export const CLIENT_NAMES: ClientName[] = ['@polygon.io/client-js', '@massive.com/client-js'];

/**
 * An official client pointed at `baseUrl`. Both packages are ESM only: jest (run with
 * --experimental-vm-modules, as `npm test` does) loads them with a dynamic import.
 */
export async function polygonClient(name: ClientName, apiKey: string, baseUrl: string, pagination: boolean): Promise<PolygonClient> {
  if (name === '@polygon.io/client-js') {
    const { restClient } = await import('@polygon.io/client-js');
    const rest = restClient(apiKey, baseUrl, { pagination });
    return {
      name,
      aggregates: (c) =>
        rest.getStocksAggregates(c.ticker, c.multiplier, c.timespan as never, c.from, c.to, c.adjusted, c.sort as never, c.limit),
      previousClose: (ticker) => rest.getPreviousStocksAggregates(ticker),
      indicator: (kind, c) => {
        const tail = [c.expandUnderlying, c.order as never, c.limit, c.timestampGte, undefined, c.timestampLte, undefined] as const;
        switch (kind) {
          case 'sma':
            return rest.getStocksSMA(c.ticker, undefined, c.timespan as never, true, c.window, 'close' as never, ...tail);
          case 'ema':
            return rest.getStocksEMA(c.ticker, undefined, c.timespan as never, true, c.window, 'close' as never, ...tail);
          case 'rsi':
            return rest.getStocksRSI(c.ticker, undefined, c.timespan as never, true, c.window, 'close' as never, ...tail);
          case 'macd':
            return rest.getStocksMACD(
              c.ticker,
              undefined,
              c.timespan as never,
              true,
              c.shortWindow,
              c.longWindow,
              c.signalWindow,
              'close' as never,
              ...tail,
            );
        }
      },
    };
  }
  const { restClient } = await import('@massive.com/client-js');
  const rest = restClient(apiKey, baseUrl, { pagination });
  return {
    name,
    aggregates: (c) => rest.getStocksAggregates({ ...c, stocksTicker: c.ticker, timespan: c.timespan as never, sort: c.sort as never }),
    previousClose: (ticker) => rest.getPreviousStocksAggregates({ stocksTicker: ticker }),
    indicator: (kind, c) => {
      const common = {
        stockTicker: c.ticker,
        timespan: c.timespan as never,
        adjusted: true,
        seriesType: 'close' as never,
        expandUnderlying: c.expandUnderlying,
        order: c.order as never,
        limit: c.limit,
        timestampGte: c.timestampGte,
        timestampLte: c.timestampLte,
      };
      switch (kind) {
        case 'sma':
          return rest.getStocksSMA({ ...common, window: c.window });
        case 'ema':
          return rest.getStocksEMA({ ...common, window: c.window });
        case 'rsi':
          return rest.getStocksRSI({ ...common, window: c.window });
        case 'macd':
          return rest.getStocksMACD({ ...common, shortWindow: c.shortWindow, longWindow: c.longWindow, signalWindow: c.signalWindow });
      }
    },
  };
}

/** An answer as both services must agree on it: everything but request_id, and next_url by its path (hosts differ). */
export function comparable(answer: unknown): unknown {
  const { request_id: requestId, next_url: nextUrl, ...rest } = answer as { request_id?: unknown; next_url?: string };
  expectString(requestId);
  return nextUrl === undefined ? rest : { ...rest, next_url: new URL(nextUrl).pathname };
}

/** comparable(mine) equals comparable(theirs): compared as JSON text first (jest's deep equality takes seconds on 1e5 bars), deeply for the diff. */
export function expectSameAnswer(mine: unknown, theirs: unknown): void {
  const [a, b] = [comparable(mine), comparable(theirs)];
  if (JSON.stringify(a) !== JSON.stringify(b)) expect(a).toEqual(b);
}

function expectString(value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new Error(`request_id missing from an answer: ${JSON.stringify(value)}`);
}

/** What a client's caller sees of a failed call: the axios error's name, message and status, and the provider-shaped body. */
export async function clientFailure(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const failure = error as { name: string; message: string; response?: { status: number; data: Record<string, unknown> } };
    const { request_id: requestId, ...body } = failure.response?.data ?? {};
    expectString(requestId);
    return { name: failure.name, message: failure.message, status: failure.response?.status, body };
  }
  throw new Error('the call succeeded; a failure was expected');
}
