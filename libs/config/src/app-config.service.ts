import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppConfig, type Env, loadConfig } from './config.schema';
import { InvalidFieldError, TIMEFRAME_VALUES, Timeframe, TimeframeValue } from '@app/core';

/** The key ConfigService holds the validated settings under. */
export const VALIDATED_SETTINGS = 'marketDataApiSettings';

/** Typed, validated settings; the only way the rest of the code sees configuration. */
@Injectable()
export class AppConfigService {
  private readonly settings: AppConfig;

  constructor(config: ConfigService) {
    this.settings = config.getOrThrow<AppConfig>(VALIDATED_SETTINGS);
  }

  /** Outside Nest (unit tests, scripts): the settings `env` gives. */
  static from(env: Env): AppConfigService {
    return new AppConfigService(new ConfigService({ [VALIDATED_SETTINGS]: loadConfig(env) }));
  }

  get<K extends keyof AppConfig>(name: K): AppConfig[K] {
    return this.settings[name];
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

  /**
   * A list of timeframes from a request: every item allowed (the reason lists what is),
   * returned once each, shortest first. Emptiness is the DTO's job.
   */
  parseTimeframes(list: readonly string[], field: string): TimeframeValue[] {
    const allowed = this.allowedTimeframes;
    const rejected = list.filter((tf) => !Timeframe.isValue(tf) || !allowed.includes(tf));
    if (rejected.length) {
      const names = rejected.map((tf) => JSON.stringify(tf)).join(', ');
      throw new InvalidFieldError(field, `${names} ${rejected.length === 1 ? 'is' : 'are'} not supported; use ${allowed.join(', ')}`);
    }
    return TIMEFRAME_VALUES.filter((tf) => list.includes(tf));
  }
}
