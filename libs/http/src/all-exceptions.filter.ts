import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorKind, InvalidFieldError, InvalidTimeframeError, redactCredentials } from '@app/core';
import { ErrorBody, FieldProblem } from './error-body';
import { READ_ONLY_DATABASE_MESSAGE, isReadOnlyDatabaseRefusal } from './read-only-database';
import { assignRequestId } from './request-id';
import { FieldValidationException } from './validation.pipe';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * One error shape for everything, and the only place that maps errors to HTTP: domain
 * errors (by their kind) become 4xx/503, a write refused by a read-only database 503,
 * anything unexpected a 500 whose requestId is also on the log line with the stack.
 * No stacks or secrets leave.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string | number }>();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception);
    // A request that failed before the logger middleware (a body that does not parse) has no id yet.
    const assigned = request.id === undefined;
    body.requestId = assigned ? assignRequestId(request, response) : String(request.id);
    if (body.statusCode === 500) {
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(`${request.method} ${request.path} failed (${body.requestId}): ${redactCredentials(detail)}`);
    } else if (body.statusCode > 500 || assigned) {
      this.logger.warn(`${request.method} ${request.path} (${body.requestId}): ${body.message}`);
    }
    if (exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof FieldValidationException) {
      return { ...base(HttpStatus.BAD_REQUEST), message: exception.message, details: exception.problems };
    }
    if (exception instanceof InvalidTimeframeError) {
      return invalid({ field: 'timeframe', reason: exception.message });
    }
    if (exception instanceof InvalidFieldError) {
      return invalid({ field: exception.field, reason: exception.reason });
    }
    if (exception instanceof DomainError) {
      return { ...base(STATUS_OF_KIND[exception.kind]), message: exception.message };
    }
    if (exception instanceof HttpException) {
      return { ...base(exception.getStatus()), message: messageOf(exception) };
    }
    if (isReadOnlyDatabaseRefusal(exception)) {
      return { ...base(HttpStatus.SERVICE_UNAVAILABLE), message: READ_ONLY_DATABASE_MESSAGE };
    }
    return { ...base(HttpStatus.INTERNAL_SERVER_ERROR), message: 'Internal server error' };
  }
}

function base(statusCode: number): Pick<ErrorBody, 'statusCode' | 'error'> {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error' };
}

function invalid(problem: FieldProblem): ErrorBody {
  return { ...base(HttpStatus.BAD_REQUEST), message: `${problem.field}: ${problem.reason}`, details: [problem] };
}

function messageOf(exception: HttpException): string {
  const payload = exception.getResponse();
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}
