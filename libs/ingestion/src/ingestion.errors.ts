/** ingest() was called while POLYGON_API_KEY is unset. */
export class IngestionDisabledError extends Error {
  constructor(readonly reason: string) {
    super(`ingestion is off: ${reason}`);
    this.name = IngestionDisabledError.name;
  }
}
