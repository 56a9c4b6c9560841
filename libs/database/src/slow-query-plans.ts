import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { AppConfigService } from '@app/config';
import { messageOf, redactCredentials } from '@app/core';
import { METRICS_REGISTRY } from '@app/metrics';
import { statementKind } from './database.metrics';

/** A shape's plan is captured at most once in this long. */
const CAPTURE_INTERVAL_MS = 10 * 60_000;
const KEPT_PLANS = 20;

/** market_data itself or one of its continuous aggregates (market_data_5m ... market_data_1w). */
const CANDLE_RELATION = /\b(?:from|join)\s+market_data(?:_\w+)?\b/i;

/** The plan of one slow candle read. */
export interface CapturedPlan {
  /** The first 16 hex digits of the SHA-1 of the SQL text: the same statement with other parameters has the same shape. */
  shape: string;
  /** The statement, with its $n placeholders (never the values). */
  sql: string;
  /** How long the statement took, in whole milliseconds. */
  ms: number;
  /** EXPLAIN (FORMAT TEXT) of the statement with its parameters, one plan line per line. */
  plan: string;
  capturedAt: string;
}

/** Runs `EXPLAIN ... <statement>` with the statement's own parameters and returns the rows. */
export type Explain = (explainSql: string) => Promise<Record<string, unknown>[]>;

/** A read of candles: a SELECT or WITH statement over market_data or its aggregates. */
export function readsCandles(sql: string): boolean {
  const kind = statementKind(sql);
  return (kind === 'select' || kind === 'with') && CANDLE_RELATION.test(sql);
}

/**
 * Captures the plan of candle reads slower than SLOW_QUERY_MS: EXPLAIN of the same statement
 * with the same parameters, in the background, at most once per shape per 10 minutes; logs it
 * and keeps the last 20 for the performance monitor. Counts every slow candle read in
 * db_slow_queries_total. DatabaseMetrics.timed only reports statements while MONITOR_ENABLED.
 */
@Injectable()
export class SlowQueryPlans {
  private readonly logger = new Logger(SlowQueryPlans.name);
  private readonly thresholdMs: number;
  private readonly slowQueries: Counter;
  /** When each shape's plan was last captured. */
  private readonly capturedAt = new Map<string, number>();
  private readonly plans: CapturedPlan[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Optional() config?: AppConfigService) {
    this.thresholdMs = config?.get('SLOW_QUERY_MS') ?? 500;
    this.slowQueries = new Counter({
      name: 'db_slow_queries_total',
      help: 'Candle reads slower than SLOW_QUERY_MS (the plan of each statement shape is logged at most once per 10 minutes)',
      registers: [registry],
    });
  }

  /** The captured plans, newest first. */
  recent(): CapturedPlan[] {
    return [...this.plans];
  }

  /** Resolves once every capture started so far has finished (a capture never holds up the statement it explains). */
  async whenIdle(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  /** Hears that a statement took `ms`; a slow candle read whose shape was not explained lately is explained via `explain`. */
  observe(sql: string, ms: number, explain: Explain): void {
    if (ms <= this.thresholdMs || !readsCandles(sql)) return;
    this.slowQueries.inc();
    const shape = createHash('sha1').update(sql).digest('hex').slice(0, 16);
    const now = Date.now();
    if (now - (this.capturedAt.get(shape) ?? -Infinity) < CAPTURE_INTERVAL_MS) return;
    this.forgetCapturesBefore(now - CAPTURE_INTERVAL_MS);
    this.capturedAt.set(shape, now);
    const capture = this.capture({ shape, sql, ms: Math.round(ms) }, explain).finally(() => this.inFlight.delete(capture));
    this.inFlight.add(capture);
  }

  private async capture(slow: Pick<CapturedPlan, 'shape' | 'sql' | 'ms'>, explain: Explain): Promise<void> {
    const about = `slow candle query: ${slow.ms} ms (SLOW_QUERY_MS ${this.thresholdMs}), shape ${slow.shape}`;
    try {
      const rows = await explain(`EXPLAIN (FORMAT TEXT) ${slow.sql}`);
      const plan = rows.map((row) => String(row['QUERY PLAN'])).join('\n');
      this.plans.unshift({ ...slow, plan, capturedAt: new Date().toISOString() });
      this.plans.splice(KEPT_PLANS);
      this.logger.warn(`${about}; plan:\n${plan}`);
    } catch (error) {
      this.logger.warn(`${about}; its plan could not be captured: ${redactCredentials(messageOf(error))}`);
    }
  }

  /** Keeps the map of shapes as small as the set explained within the interval. */
  private forgetCapturesBefore(cutoff: number): void {
    for (const [shape, at] of this.capturedAt) if (at < cutoff) this.capturedAt.delete(shape);
  }
}
