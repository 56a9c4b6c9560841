import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from './config.schema';
import { Timeframe, TimeframeValue } from './timeframe';

/** Typed, validated settings; the only way the rest of the code sees configuration. */
@Injectable()
export class AppConfigService {
  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  get<K extends keyof AppConfig>(name: K): AppConfig[K] {
    return this.config.get(name, { infer: true }) as AppConfig[K];
  }

  get allowedTimeframes(): readonly TimeframeValue[] {
    return this.get('ALLOWED_TIMEFRAMES');
  }

  get defaultTimeframes(): readonly TimeframeValue[] {
    return this.get('DEFAULT_TIMEFRAMES');
  }

  /** Parses a timeframe string against ALLOWED_TIMEFRAMES. */
  parseTimeframe(input: string): Timeframe {
    return Timeframe.parse(input, this.allowedTimeframes);
  }
}
