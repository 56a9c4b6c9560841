/** The `status` words of the provider's error bodies. */
export type PolygonErrorStatus = 'ERROR' | 'NOT_AUTHORIZED' | 'NOT FOUND';

/**
 * An answer in the provider's error shape: `{status, request_id, error}`, or `message` instead
 * of `error` for NOT_AUTHORIZED (as the provider words its 403s), so client error handling written
 * against the provider keeps working.
 */
export class PolygonRequestError extends Error {
  constructor(
    readonly httpStatus: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503,
    readonly status: PolygonErrorStatus,
    message: string,
    readonly textField: 'error' | 'message' = 'error',
  ) {
    super(message);
  }

  /** A 400 naming the parameter and why, e.g. `limit: must be a positive whole number, got '0'`. */
  static badParameter(field: string, reason: string): PolygonRequestError {
    return new PolygonRequestError(400, 'ERROR', `${field}: ${reason}`);
  }
}
