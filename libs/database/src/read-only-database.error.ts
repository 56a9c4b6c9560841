import { UnavailableError } from '@app/core';

/** A change asked of an instance whose only database refuses writes; a 503 over HTTP that says where writes go. */
export class ReadOnlyDatabaseError extends UnavailableError {
  constructor(reason: string) {
    super(
      `This instance serves a read-only replica of the database (${reason}), so it makes no changes. ` +
        'Send writes (POST, PUT, PATCH, DELETE) to an instance whose DATABASE_URL is the primary; reads are served here.',
    );
  }
}
