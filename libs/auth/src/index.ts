export { AuthModule } from './auth.module';
export { ApiKeyGuard, API_KEY_HEADER } from './api-key.guard';
export { ApiKeyVerifier } from './api-key.verifier';
export { PublicRoute } from './public-route.decorator';
export { RateLimitGuard } from './rate-limit.guard';
export { RATE_LIMIT_STORE } from './rate-limit.store';
export type { RateLimitDecision, RateLimitStore } from './rate-limit.store';
