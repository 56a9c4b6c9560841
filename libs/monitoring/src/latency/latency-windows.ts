import { Injectable } from '@nestjs/common';

/** Latency histograms per route and per timeframe in 10-second slots shared through latency_slots; see issue 11 parts 1 and 7. */
@Injectable()
export class LatencyWindows {}
