import type { Env } from '@app/config';
import type { DatabaseService } from '@app/database';
import { BackfillJobQueue, BackfillScheduler } from '@app/backfill';
import { CLOCK, type Clock } from '@app/core';
import { POLYGON_TUNING, type PolygonTuning } from '@app/polygon';
import type { FakePolygonServer, FakeRequestRecord } from '@app/polygon/testing';
import type { TestApp } from '@app/testing';
import type { TestingModuleBuilder } from '@nestjs/testing';

/** Friday 2024-03-15 11:00 New York: the market is open. */
export const FRIDAY_11_NY = Date.parse('2024-03-15T15:00:00Z');

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Settings for an app that ingests from the fake and ticks only when the test says so. */
export function backfillEnv(fake: FakePolygonServer, extra: Env = {}): Env {
  return {
    POLYGON_BASE_URL: fake.url,
    POLYGON_API_KEY: 'test-key',
    POLYGON_RATE_LIMIT_PER_MINUTE: '6000',
    SCHEDULER_TICK_SECONDS: '3600',
    BACKFILL_WINDOWS: '1m:3d,5m:3d,1h:10d,1d:30d',
    ...extra,
  };
}

/** Pins the clock and shortens provider backoff (the fake answers at once); `tuning` adds client knobs (e.g. small pages). */
export function withClock(clock: Clock, tuning: Partial<PolygonTuning> = {}): (builder: TestingModuleBuilder) => TestingModuleBuilder {
  return (builder) =>
    builder
      .overrideProvider(CLOCK)
      .useValue(clock)
      .overrideProvider(POLYGON_TUNING)
      .useValue({ backoffBaseMs: 5, backoffMaxMs: 20, ...tuning });
}

/** One scheduler pass, then wait until every job it started has finished. */
export async function tickAndSettle(t: TestApp): Promise<void> {
  await t.app.get(BackfillScheduler).tick();
  await t.app.get(BackfillJobQueue).whenIdle();
}

export interface AggregatesRequest {
  ticker: string;
  timeframe: string;
  from: number;
  /** Inclusive, as sent. */
  to: number;
  status: number;
}

const TIMEFRAME_OF: Record<string, string> = {
  '1/minute': '1m',
  '5/minute': '5m',
  '15/minute': '15m',
  '30/minute': '30m',
  '1/hour': '1h',
  '4/hour': '4h',
  '1/day': '1d',
  '1/week': '1w',
};

/** The aggregates requests the fake received, decoded. */
export function aggregatesRequests(fake: FakePolygonServer, since = 0): AggregatesRequest[] {
  return fake.requests.slice(since).flatMap((record: FakeRequestRecord) => {
    const match = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(\w+)\/(\d+)\/(\d+)$/.exec(record.path);
    if (!match) return [];
    return [
      {
        ticker: decodeURIComponent(match[1]),
        timeframe: TIMEFRAME_OF[`${match[2]}/${match[3]}`],
        from: Number(match[4]),
        to: Number(match[5]),
        status: record.status,
      },
    ];
  });
}

export interface StoredBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export async function storedBars(
  database: DatabaseService,
  symbol: string,
  timeframe: string,
  start: number,
  end: number,
): Promise<StoredBar[]> {
  return database.query<StoredBar>(
    `SELECT (extract(epoch FROM time) * 1000)::float8 AS time, open, high, low, close, volume FROM market_data
     WHERE symbol = $1 AND timeframe = $2 AND time >= to_timestamp($3::float8 / 1000.0) AND time < to_timestamp($4::float8 / 1000.0) ORDER BY time`,
    [symbol, timeframe, start, end],
  );
}
