import { ConflictError, NotFoundError } from '@app/core';

export class NotTrackedError extends NotFoundError {
  constructor(
    readonly symbol: string,
    hint = '',
  ) {
    super(`${symbol} is not tracked${hint}`);
  }
}

export class AlreadyTrackedError extends ConflictError {
  constructor(readonly symbol: string) {
    super(`${symbol} is already tracked; change its timeframes with PUT /api/v1/symbol/${symbol}/timeframes`);
  }
}
