import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This process, among the instances sharing the database: host, pid, and a suffix a restart with the same pid cannot repeat. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
