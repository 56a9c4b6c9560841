import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { InvalidTimeframeError } from '@app/config';
import { DatabaseUnavailableError, redactUrls } from '@app/database';
import { ErrorBody, FieldProblem } from './error-body';
import { FieldValidationException } from './validation.pipe';

/**
 * One error shape for everything: domain errors become 4xx/503, anything unexpected a
 * 500 whose requestId is also on the log line with the stack. No stacks or secrets leave.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception);
    body.requestId = request.id !== undefined ? String(request.id) : undefined;
    if (body.statusCode === 500) {
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(`${request.method} ${request.path} failed (${body.requestId}): ${redactUrls(detail)}`);
    } else if (body.statusCode > 500) {
      this.logger.warn(`${request.method} ${request.path}: ${body.message}`);
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
      return {
        ...base(HttpStatus.BAD_REQUEST),
        message: `timeframe: ${exception.message}`,
        details: [{ field: 'timeframe', reason: exception.message }],
      };
    }
    if (exception instanceof DatabaseUnavailableError) {
      return { ...base(HttpStatus.SERVICE_UNAVAILABLE), message: exception.message };
    }
    if (isJsonParseFailure(exception)) {
      const reason = `is not valid JSON: ${exception.message}`;
      return { ...base(HttpStatus.BAD_REQUEST), message: `body: ${reason}`, details: [{ field: 'body', reason }] };
    }
    if (exception instanceof HttpException) {
      const details = detailsOf(exception);
      return { ...base(exception.getStatus()), message: messageOf(exception), ...(details ? { details } : {}) };
    }
    return { ...base(HttpStatus.INTERNAL_SERVER_ERROR), message: 'Internal server error' };
  }
}

function base(statusCode: number): Pick<ErrorBody, 'statusCode' | 'error'> {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error' };
}

/**
 * Nest turns body-parser's SyntaxError into a plain BadRequestException carrying only
 * the parser's message; JSON.parse messages all mention JSON, DTO failures never do.
 */
function isJsonParseFailure(exception: unknown): exception is BadRequestException {
  return (
    exception instanceof BadRequestException &&
    !(exception instanceof FieldValidationException) &&
    typeof exception.getResponse() === 'object' &&
    (exception.getResponse() as { details?: unknown }).details === undefined &&
    /\bJSON\b/.test(exception.message)
  );
}

/** Field problems an HttpException carries in its response object (e.g. InvalidFieldException from the libs). */
function detailsOf(exception: HttpException): FieldProblem[] | undefined {
  const payload = exception.getResponse();
  const details = typeof payload === 'object' ? (payload as { details?: unknown }).details : undefined;
  if (!Array.isArray(details)) return undefined;
  const problems = details.filter(
    (d): d is FieldProblem => typeof d === 'object' && d !== null && typeof d.field === 'string' && typeof d.reason === 'string',
  );
  return problems.length ? problems.map(({ field, reason }) => ({ field, reason })) : undefined;
}

function messageOf(exception: HttpException): string {
  const payload = exception.getResponse();
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}
