import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This instance among those sharing the database: host, pid, and a suffix a restart with the
 * same pid cannot repeat. A provider, not a constant: two applications in one process (tests)
 * are two instances.
 */
@Injectable()
export class InstanceIdentity {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
