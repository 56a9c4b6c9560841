import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorKind, InvalidFieldError, InvalidTimeframeError, redactCredentials } from '@app/core';
import { ProviderError, ProviderRateLimitedError } from '@app/provider';
import { requestIdOf } from './polygon-answer';
import { PolygonRequestError } from './polygon-request.error';

const STATUS_OF_KIND: Record<DomainErrorKind, PolygonRequestError['httpStatus']> = {
  invalid: 400,
  'not-found': 404,
  conflict: 400,
  unavailable: 503,
};

/**
 * Every error of the Polygon-compatible routes in the provider's shape (`status`, `request_id`,
 * `error` or `message`), with its status codes; the request id is the one in X-Request-Id and the logs.
 * Unknown failures are a 500 logged with their stack, never sent.
 */
@Catch()
export class PolygonErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PolygonCompatErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(request, response);
    const error = this.toPolygonError(exception);
    if (error.httpStatus === 500) {
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      // The path only: the query may hold an apiKey.
      this.logger.error(`${request.method} ${request.path} failed (${requestId}): ${redactCredentials(detail)}`);
    } else if (error.httpStatus >= 502) {
      this.logger.warn(`${request.method} ${request.path} (${requestId}): ${error.message}`);
    }
    response.status(error.httpStatus).json({ status: error.status, request_id: requestId, [error.textField]: error.message });
  }

  private toPolygonError(exception: unknown): PolygonRequestError {
    if (exception instanceof PolygonRequestError) return exception;
    if (exception instanceof InvalidTimeframeError) return PolygonRequestError.badParameter('timespan', exception.message);
    if (exception instanceof InvalidFieldError) return PolygonRequestError.badParameter(exception.field, exception.reason);
    if (exception instanceof DomainError) {
      const status = STATUS_OF_KIND[exception.kind];
      return new PolygonRequestError(status, status === 404 ? 'NOT FOUND' : 'ERROR', exception.message);
    }
    if (exception instanceof ProviderRateLimitedError) {
      return new PolygonRequestError(429, 'ERROR', 'The upstream provider is rate limiting this service; retry later.');
    }
    if (exception instanceof ProviderError) {
      return new PolygonRequestError(502, 'ERROR', `The upstream provider could not be read: ${redactCredentials(exception.message)}`);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new PolygonRequestError(asPolygonStatus(status), status === 404 ? 'NOT FOUND' : 'ERROR', messageOf(exception));
    }
    return new PolygonRequestError(500, 'ERROR', 'Internal server error, please try again');
  }
}

function asPolygonStatus(status: number): PolygonRequestError['httpStatus'] {
  const known = [400, 401, 403, 404, 429, 500, 502, 503] as const;
  return known.find((code) => code === status) ?? (status < 500 ? 400 : 500);
}

/** The validation pipe's "field: reason; ..." text, or whatever the exception says. */
function messageOf(exception: HttpException): string {
  const payload = exception.getResponse();
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
