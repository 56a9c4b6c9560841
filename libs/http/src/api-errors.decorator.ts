import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorResponseDto } from './error-response.dto';

export interface ApiErrorExample {
  status: 400 | 401 | 403 | 404 | 409 | 429 | 503;
  description: string;
  /** The `message` of a typical body. */
  message: string;
  details?: { field: string; reason: string }[];
}

/** Documents each error a route can answer, in the common error shape, with an example body. */
export function ApiErrors(...errors: ApiErrorExample[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...errors.map((error) =>
      ApiResponse({
        status: error.status,
        description: error.description,
        type: ErrorResponseDto,
        example: {
          statusCode: error.status,
          error: STATUS_CODES[error.status],
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
          requestId: '0b6f1f0e-3c8a-4c1e-9a55-0d5c2f7f4b1e',
        },
      }),
    ),
  );
}

export const RATE_LIMITED: ApiErrorExample = {
  status: 429,
  description: 'Too many requests from this client (API key or IP); wait Retry-After seconds',
  message: 'Rate limit of 600 requests per minute exceeded; retry in 1 s',
};

export const DATABASE_DOWN: ApiErrorExample = {
  status: 503,
  description: 'The database is not reachable',
  message: 'Database unavailable: the database is not reachable yet',
};

export const API_KEY_MISSING: ApiErrorExample = {
  status: 401,
  description: 'API keys are configured and X-API-Key is missing',
  message: 'X-API-Key header is required for this route',
};

export const API_KEY_WRONG: ApiErrorExample = {
  status: 403,
  description: 'X-API-Key does not match any configured key',
  message: 'X-API-Key is not valid',
};

/** What a write route answers when API keys are configured and the key is missing or wrong. */
export const WRITE_KEY_ERRORS: readonly ApiErrorExample[] = [API_KEY_MISSING, API_KEY_WRONG].map((e) => ({
  ...e,
  description: `${e.description} (only when API_KEYS is set)`,
}));

/** The same for read routes, which need a key only when API_KEYS_FOR_READS is on. */
export const READ_KEY_ERRORS: readonly ApiErrorExample[] = [API_KEY_MISSING, API_KEY_WRONG].map((e) => ({
  ...e,
  description: `${e.description} (only when API_KEYS_FOR_READS is on)`,
}));
