import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyVerifier } from '@app/auth';
import { AppConfigService } from '@app/config';
import { PolygonRequestError } from './polygon-request.error';

/**
 * The provider's ways of presenting a key, checked against API_KEYS when reads need a key
 * (API_KEYS_FOR_READS): `apiKey` in the query (the official JavaScript clients), `Authorization:
 * Bearer` (the Python client), or our own X-API-Key. When reads are open, any key is ignored:
 * clients keep sending their provider key, which this service neither knows nor needs.
 */
@Injectable()
export class PolygonKeyGuard implements CanActivate {
  private readonly required: boolean;

  constructor(
    private readonly verifier: ApiKeyVerifier,
    config: AppConfigService,
  ) {
    this.required = verifier.enabled && config.get('API_KEYS_FOR_READS');
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.required) return true;
    const presented = presentedKey(context.switchToHttp().getRequest<Request>());
    if (presented === undefined || presented === '') throw new PolygonRequestError(401, 'ERROR', 'API Key was not provided');
    if (this.verifier.clientIdOf(presented) === undefined) {
      throw new PolygonRequestError(403, 'NOT_AUTHORIZED', 'Unknown API Key: it is not one of the keys this service accepts.', 'message');
    }
    return true;
  }
}

/** The key of the request; a key given twice in different ways must agree, else it counts as wrong. */
export function presentedKey(request: Pick<Request, 'originalUrl' | 'url' | 'headers'>): string | undefined {
  const query = new URL(request.originalUrl ?? request.url, 'http://query.local').searchParams.getAll('apiKey');
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(.*)$/i.exec(authorization.trim())?.[1] : undefined;
  const header = request.headers['x-api-key'];
  const candidates = [...query, bearer, typeof header === 'string' ? header : undefined].filter((key) => key !== undefined);
  if (candidates.length === 0) return undefined;
  return candidates.every((key) => key === candidates[0]) ? candidates[0] : '\u0000mismatch';
}
