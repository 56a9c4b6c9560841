import { Timeframe } from '@app/core';
import type { DerivableTimeframe } from './derived-candle';

/**
 * SQL text for derived candles. Both readers return the same columns (DerivedRow in the
 * repository), so the engines are interchangeable above it:
 *   - readAggregateSql: a continuous aggregate (TimescaleDB)
 *   - rollUpMinutesSql: the same rollup computed from 1m rows at query time (PostgreSQL,
 *     and the regular session on either engine)
 * Parameters: $1 symbol, $2 first bucket start (ms), $3 end (ms, exclusive), $4 limit,
 * and for rollUpMinutesSql with a session filter $5 the open windows as a tstzmultirange.
 */

export type SortOrder = 'asc' | 'desc';

const NEW_YORK = `'America/New_York'`;
/** Sunday midnight, the origin of New York day and week buckets (wall-clock time). */
const SUNDAY_WALL_ORIGIN = `TIMESTAMP '2000-01-02 00:00:00'`;
const EPOCH_ORIGIN = `TIMESTAMPTZ '1970-01-01 00:00:00+00'`;

const epochMs = (column: string): string => `(date_part('epoch', ${column}) * 1000)::float8`;

/** Reads the derived columns of a continuous aggregate (views created by migration 1764000000100). */
export function readAggregateSql(view: string, order: SortOrder): string {
  return `
    SELECT ${epochMs('bucket')} AS time, open, high, low, close, volume,
           vwap_notional / NULLIF(vwap_volume, 0) AS vwap,
           trades::float8 AS trades,
           minute_bars::float8 AS minute_bars,
           regular_morning_bars::float8 AS regular_morning_bars,
           regular_afternoon_bars::float8 AS regular_afternoon_bars
    FROM ${view}
    WHERE symbol = $1 AND bucket >= to_timestamp($2 / 1000.0) AND bucket < to_timestamp($3 / 1000.0)
    ORDER BY bucket ${order === 'desc' ? 'DESC' : 'ASC'}
    LIMIT $4`;
}

/**
 * Rolls 1m rows up into `timeframe` buckets the way the aggregates do: into parts on the UTC
 * clock first (the bucket itself up to 30m, else 30m parts), then, above 30m, parts into
 * buckets. New York offsets are whole hours and the session bands (09:30, 13:00, 16:00) fall on
 * part edges, so each part's wall clock stands for all its minutes: the time-zone work is done
 * once per part rather than once per row.
 */
export function rollUpMinutesSql(timeframe: DerivableTimeframe, order: SortOrder, sessionFilter: boolean): string {
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  const parts = partsSql(partWidthOf(timeframe), sessionFilter);
  const bandCount = (from: string, to: string): string =>
    `CASE WHEN ny_clock >= '${from}' AND ny_clock < '${to}' THEN minute_bars ELSE 0 END`;
  if (partWidthOf(timeframe) === Timeframe.of(timeframe).sqlInterval) {
    return `
      SELECT ${epochMs('part_start')} AS time, open, high, low, close, volume,
             vwap_notional / NULLIF(vwap_volume, 0) AS vwap,
             trades::float8 AS trades,
             minute_bars::float8 AS minute_bars,
             (${bandCount('09:30', '13:00')})::float8 AS regular_morning_bars,
             (${bandCount('13:00', '16:00')})::float8 AS regular_afternoon_bars
      FROM (SELECT parts.*, (part_start AT TIME ZONE ${NEW_YORK})::time AS ny_clock FROM (${parts}) parts) part
      ORDER BY part_start ${direction}
      LIMIT $4`;
  }
  const { bucketKey, bucketStart } = bucketExpressions(timeframe);
  return `
    SELECT ${epochMs(bucketStart)} AS time,
           (min(ARRAY[date_part('epoch', part_start), open]))[2] AS open,
           max(high) AS high,
           min(low) AS low,
           (max(ARRAY[date_part('epoch', part_start), close]))[2] AS close,
           sum(volume) AS volume,
           sum(vwap_notional) / NULLIF(sum(vwap_volume), 0) AS vwap,
           sum(trades)::float8 AS trades,
           sum(minute_bars)::float8 AS minute_bars,
           sum(${bandCount('09:30', '13:00')})::float8 AS regular_morning_bars,
           sum(${bandCount('13:00', '16:00')})::float8 AS regular_afternoon_bars
    FROM (
      SELECT ${bucketKey} AS bucket_key, ny_wall::time AS ny_clock, part.*
      FROM (
        SELECT parts.*, part_start AT TIME ZONE ${NEW_YORK} AS ny_wall
        FROM (${parts}) parts
        OFFSET 0 -- one time-zone conversion per part: without the fence it is inlined at each use
      ) part
    ) keyed
    GROUP BY bucket_key
    ORDER BY bucket_key ${direction}
    LIMIT $4`;
}

/**
 * 1m rows of $1 in [$2, $3) (and inside the $5 multirange) rolled up into `width` parts on the
 * UTC clock. First/last come from min/max over [epoch, price] arrays: portable (plain
 * PostgreSQL has no first()/last()) and, measured, about twice as fast as array_agg(... ORDER BY).
 */
function partsSql(width: string, sessionFilter: boolean): string {
  return `
    SELECT part_start,
           (min(ARRAY[date_part('epoch', time), open]))[2] AS open,
           max(high) AS high,
           min(low) AS low,
           (max(ARRAY[date_part('epoch', time), close]))[2] AS close,
           sum(volume) AS volume,
           sum(vwap * volume) FILTER (WHERE vwap IS NOT NULL) AS vwap_notional,
           sum(volume) FILTER (WHERE vwap IS NOT NULL) AS vwap_volume,
           sum(trades) AS trades,
           count(*) AS minute_bars
    FROM (
      SELECT date_bin(INTERVAL '${width}', time, ${EPOCH_ORIGIN}) AS part_start, time, open, high, low, close, volume, vwap, trades
      FROM market_data
      WHERE symbol = $1 AND timeframe = '1m'
        AND time >= to_timestamp($2 / 1000.0) AND time < to_timestamp($3 / 1000.0)
        ${sessionFilter ? 'AND $5::tstzmultirange @> time' : ''}
      -- Fence: seen through, date_bin(time) inherits the distinct count of time, the planner
      -- expects a group per row and picks a sort that spills to disk over a hash.
      OFFSET 0
    ) minute
    GROUP BY part_start`;
}

/** The first step's width: the bucket itself up to 30m, else 30m (the coarsest that keeps 09:30 on an edge). */
function partWidthOf(timeframe: DerivableTimeframe): string {
  switch (timeframe) {
    case '5m':
    case '15m':
    case '30m':
      return Timeframe.of(timeframe).sqlInterval;
    default:
      return Timeframe.of('30m').sqlInterval;
  }
}

/**
 * The provider's alignment (README "Timeframes and bar times"), in SQL: intraday buckets on the UTC clock; day and
 * week buckets binned in New York wall-clock time (so 23- and 25-hour days come out right)
 * and turned back into instants once per bucket.
 */
function bucketExpressions(timeframe: DerivableTimeframe): { bucketKey: string; bucketStart: string } {
  const width = `INTERVAL '${Timeframe.of(timeframe).sqlInterval}'`;
  if (Timeframe.of(timeframe).isIntraday)
    return { bucketKey: `date_bin(${width}, part_start, ${EPOCH_ORIGIN})`, bucketStart: 'bucket_key' };
  return {
    bucketKey: `date_bin(${width}, ny_wall, ${SUNDAY_WALL_ORIGIN})`,
    bucketStart: `(bucket_key AT TIME ZONE ${NEW_YORK})`,
  };
}
