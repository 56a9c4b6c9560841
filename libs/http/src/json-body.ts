import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { InvalidFieldError } from '@app/core';

/** body-parser marks its own failures with a `type`; anything else passing through is not ours to rename. */
interface BodyParserError extends Error {
  type: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).type === 'string';
}

/**
 * The JSON body parser (Nest's own is turned off): a body that does not parse becomes an
 * InvalidFieldError on `body`, so the exception filter answers it like any other 400.
 */
export function jsonBody(options: { limit: string } = { limit: '100kb' }): RequestHandler {
  const parse = json(options);
  return (request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) => {
      if (isBodyParserError(error) && error.type === 'entity.parse.failed') {
        next(new InvalidFieldError('body', `is not valid JSON: ${error.message}`));
      } else {
        next(error);
      }
    });
}
