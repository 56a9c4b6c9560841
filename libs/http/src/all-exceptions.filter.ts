import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import {
  DomainError,
  type DomainErrorKind,
  InvalidFieldError,
  InvalidTimeframeError,
  ReadOnlyDatabaseError,
  redactCredentials,
} from '@app/core';
import { ErrorBody, FieldProblem } from './error-body';
import { assignRequestId } from './request-id';
import { FieldValidationException } from './validation.pipe';

/** SQLSTATE 25006, read_only_sql_transaction: a write reached a database that refuses them (a hot standby). */
const READ_ONLY_SQL_TRANSACTION = '25006';

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
    if (isReadOnlyRefusal(exception)) return this.toBody(new ReadOnlyDatabaseError());
    return { ...base(HttpStatus.INTERNAL_SERVER_ERROR), message: 'Internal server error' };
  }
}

/**
 * A write the database refused as read-only: TypeORM's QueryFailedError (which copies the driver's
 * fields) or pg's own error from a raw client. The write routes are refused before they run on such
 * an instance (ReadOnlyWriteGuard); this is the backstop for any other path, so it answers 503, never 500.
 */
function isReadOnlyRefusal(exception: unknown): boolean {
  return exception instanceof Error && 'code' in exception && exception.code === READ_ONLY_SQL_TRANSACTION;
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
