import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfigService } from '@app/config';
import { ApiKeyVerifier } from './api-key.verifier';
import { isClientApiRequest, isReadRequest, requestOf, singleHeader } from './http-exchange';
import { PUBLIC_ROUTE } from './public-route.decorator';

export const API_KEY_HEADER = 'x-api-key';

/**
 * With API_KEYS set, every route that changes something (any method but GET/HEAD/OPTIONS)
 * needs a valid X-API-Key: 401 without one, 403 with a wrong one. Reads need it too
 * when API_KEYS_FOR_READS is on. Classifying by method keeps new write routes under /api/
 * safe by default; routes outside /api/ (health) and @PublicRoute() ones are never guarded.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keysForReads: boolean;

  constructor(
    private readonly verifier: ApiKeyVerifier,
    private readonly reflector: Reflector,
    config: AppConfigService,
  ) {
    this.keysForReads = config.get('API_KEYS_FOR_READS');
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.verifier.enabled || isPublic(this.reflector, context)) return true;
    const request = requestOf(context);
    if (!isClientApiRequest(request) || (isReadRequest(request) && !this.keysForReads)) return true;
    const presented = singleHeader(request, API_KEY_HEADER);
    if (presented === undefined || presented === '') throw new UnauthorizedException('X-API-Key header is required for this route');
    if (this.verifier.clientIdOf(presented) === undefined) throw new ForbiddenException('X-API-Key is not valid');
    return true;
  }
}

export function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true;
}
