import { Inject, Injectable } from '@nestjs/common';
import type { SessionKind } from '@app/calendar';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, formatDuration, InvalidFieldError, requireStartBeforeEnd } from '@app/core';
import { BackfillCheckpointRepository } from '@app/backfill';
import { CandleRepository } from '@app/market-data';
import { GapReport, bucketCount, buildGapReport } from './gap-report';

export interface GapReportRequest {
  symbol: string;
  timeframe?: string;
  start?: number;
  end?: number;
  session?: SessionKind;
}

export const DEFAULT_GAP_TIMEFRAME = '1m';
/** Buckets one report may walk: a year of 1m bars, or any range of coarser ones within it. */
export const MAX_GAP_BUCKETS = 527_040;

/** GET /api/v1/asset/{symbol}/gaps: bars the calendar expects but the table lacks, beside closed-market periods. */
@Injectable()
export class GapReportService {
  constructor(
    private readonly config: AppConfigService,
    private readonly candles: CandleRepository,
    private readonly checkpoints: BackfillCheckpointRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Defaults: timeframe 1m, end now, start the timeframe's history window (BACKFILL_WINDOWS) before end. */
  async report(request: GapReportRequest): Promise<GapReport> {
    const timeframe = this.config.parseTimeframe(request.timeframe ?? DEFAULT_GAP_TIMEFRAME);
    const now = this.clock.now();
    const end = request.end ?? now;
    const start = request.start ?? end - this.config.get('BACKFILL_WINDOWS')[timeframe.value];
    requireStartBeforeEnd({ start, end }, request.end === undefined);
    const buckets = bucketCount(timeframe, start, end);
    if (buckets > MAX_GAP_BUCKETS) {
      throw new InvalidFieldError(
        'start',
        `the range holds ${buckets} ${timeframe.value} bars, more than ${MAX_GAP_BUCKETS} per report; ask for at most ${formatDuration(MAX_GAP_BUCKETS * timeframe.durationMs)} of ${timeframe.value} at a time`,
      );
    }
    // The current bar is still open: neither it nor anything later is reported.
    const reportEnd = Math.min(end, timeframe.bucketStart(now));
    const [stored, checkpoint] = await Promise.all([
      reportEnd > start ? this.candles.barTimes(request.symbol, timeframe.value, start, reportEnd) : Promise.resolve([]),
      this.checkpoints.find({ symbol: request.symbol, timeframe: timeframe.value }),
    ]);
    return buildGapReport({
      symbol: request.symbol,
      timeframe,
      session: request.session ?? 'extended',
      start,
      end: Math.max(start, reportEnd),
      stored,
      covered: checkpoint?.covered ?? [],
    });
  }
}
