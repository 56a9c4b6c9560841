import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfigService } from '@app/config';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyVerifier } from './api-key.verifier';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisRateLimitStore } from './redis-rate-limit.store';

function rateLimitStore(config: AppConfigService): RateLimitStore {
  const url = config.get('REDIS_URL');
  return url ? new RedisRateLimitStore(url) : new MemoryRateLimitStore();
}

/**
 * API keys and the per-client rate limit, as global guards: the limit is counted
 * first, so failed key attempts spend the caller's (IP) budget too.
 */
@Module({
  providers: [
    ApiKeyVerifier,
    { provide: RATE_LIMIT_STORE, useFactory: rateLimitStore, inject: [AppConfigService] },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiKeyVerifier],
})
export class AuthModule {}
