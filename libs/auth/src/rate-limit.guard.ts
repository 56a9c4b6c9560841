import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfigService } from '@app/config';
import { isPublic, API_KEY_HEADER } from './api-key.guard';
import { ApiKeyVerifier } from './api-key.verifier';
import { GuardedRequest, isClientApiRequest, requestOf, responseOf, singleHeader } from './http-exchange';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit.store';

/**
 * RATE_LIMIT_PER_MINUTE per client on the /api/ routes: a valid API key is one client, anyone else is
 * counted by IP (so invented keys do not buy a fresh budget). Over the limit: 429 with
 * Retry-After. Answers carry RateLimit-Limit and RateLimit-Remaining.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limit: number;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly verifier: ApiKeyVerifier,
    private readonly reflector: Reflector,
    config: AppConfigService,
  ) {
    this.limit = config.get('RATE_LIMIT_PER_MINUTE');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.limit === 0 || isPublic(this.reflector, context)) return true;
    const request = requestOf(context);
    if (!isClientApiRequest(request)) return true;
    const decision = await this.store.hit(this.clientOf(request), this.limit);
    const response = responseOf(context);
    response.header('RateLimit-Limit', String(this.limit));
    response.header('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) return true;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new HttpException(
      { message: `Rate limit of ${this.limit} requests per minute exceeded; retry in ${retryAfter} s`, retryAfter },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private clientOf(request: GuardedRequest): string {
    const key = this.verifier.enabled ? singleHeader(request, API_KEY_HEADER) : undefined;
    const keyClient = key ? this.verifier.clientIdOf(key) : undefined;
    // req.ip: the socket address, or what the proxies TRUST_PROXY names put in X-Forwarded-For; never the raw header, which any client writes.
    return keyClient ?? `ip:${request.ip ?? 'unknown'}`;
  }
}
