/** The message of anything thrown, for logs and error texts. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Hides the password of every URL inside a text (`scheme://user:secret@host` -> `scheme://user:***@host`). */
export function redactCredentials(text: string): string {
  return text.replace(/(\w+:\/\/[^:/@\s]*):[^@\s]+@/g, '$1:***@');
}

/**
 * How the HTTP layer answers a domain error. Services throw these; one exception filter
 * maps the kind to a status, so services (and the CLI that shares them) never see HTTP.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** The request field at fault, for `invalid` errors. */
  readonly field?: string;
}

/** A request value that is well-formed but not acceptable: the field and why. */
export class InvalidFieldError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    override readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** A capability this instance cannot provide right now (database down, ingestion off). */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}

/**
 * A change asked of an instance whose database refuses writes (a hot standby, or
 * default_transaction_read_only): a 503 that says where writes go.
 */
export class ReadOnlyDatabaseError extends UnavailableError {
  constructor(reason = 'a hot standby, or default_transaction_read_only is on') {
    super(
      `This instance serves a read-only replica of the database (${reason}), so it makes no changes. ` +
        'Send writes (POST, PUT, PATCH, DELETE) to an instance whose DATABASE_URL is the primary; reads are served here.',
    );
  }
}
