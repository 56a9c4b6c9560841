import { Inject, Injectable } from '@nestjs/common';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from '@app/provider';

export interface IngestionStatusSnapshot {
  enabled: boolean;
  provider: string;
  /** Why ingestion is off; absent when on. */
  reason?: string;
  /** What to do to turn it on; absent when on. */
  howToEnable?: string;
}

/**
 * Whether this instance pulls bars from the provider. Without POLYGON_API_KEY the service
 * still starts and serves what is stored; health checks and logs say so through this.
 */
@Injectable()
export class IngestionStatus {
  readonly enabled: boolean;
  readonly provider: string;
  readonly reason?: string;
  readonly howToEnable?: string;

  constructor(@Inject(MARKET_DATA_PROVIDER) provider: MarketDataProvider) {
    this.enabled = provider.isConfigured;
    this.provider = provider.name;
    if (!this.enabled) {
      this.reason = 'POLYGON_API_KEY is not set';
      this.howToEnable =
        'set POLYGON_API_KEY to your Polygon.io (Massive.com) key and restart; POLYGON_RATE_LIMIT_PER_MINUTE matches your plan (free: 5)';
    }
  }

  toJSON(): IngestionStatusSnapshot {
    return {
      enabled: this.enabled,
      provider: this.provider,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.howToEnable ? { howToEnable: this.howToEnable } : {}),
    };
  }
}
