import { AppConfigService } from '@app/config';
import type { TimeframeValue } from '@app/core';

/** What the page needs to know of the running configuration; GET /dashboard/config.json. */
export interface DashboardSettings {
  /** ALLOWED_TIMEFRAMES: the timeframe dropdown offers exactly these. */
  allowedTimeframes: readonly TimeframeValue[];
  /** DEFAULT_TIMEFRAMES: pre-checked when a symbol is added. */
  defaultTimeframes: readonly TimeframeValue[];
  /** Whether writes (and reads) need X-API-Key, so the page asks for a key before it is refused. Never the keys. */
  apiKeys: { writes: boolean; reads: boolean };
  /** CANDLES_PAGE_SIZE: bars per page the API serves by default; paging back asks for spans that fill one. */
  pageSize: number;
  /** PUBLIC_BASE_URL, for the example queries; null: the page uses the address it was loaded from. */
  publicBaseUrl: string | null;
}

export function dashboardSettings(config: AppConfigService): DashboardSettings {
  const keysConfigured = (config.get('API_KEYS') ?? '').split(',').some((key) => key.trim() !== '');
  return {
    allowedTimeframes: config.allowedTimeframes,
    defaultTimeframes: config.defaultTimeframes,
    apiKeys: { writes: keysConfigured, reads: keysConfigured && config.get('API_KEYS_FOR_READS') },
    pageSize: config.get('CANDLES_PAGE_SIZE'),
    publicBaseUrl: config.get('PUBLIC_BASE_URL') ?? null,
  };
}
