import { ConflictError } from '@app/core';

/** Ingestion was asked for while it is off (POLYGON_API_KEY unset); a 409 over HTTP. */
export class IngestionDisabledError extends ConflictError {
  constructor(
    readonly reason: string,
    howToEnable?: string,
  ) {
    super(`ingestion is off: ${reason}${howToEnable ? `; ${howToEnable}` : ''}`);
    this.name = IngestionDisabledError.name;
  }
}
