import { sqlStateOf } from './sql-values';

/**
 * Why a read failed on a replica, when the replica (not the statement) is at fault, so the read
 * is answered by the primary instead:
 * - `unreachable`: no connection, a connection cut or refused, a server shutting down or out of
 *   resources. The replica is skipped until its next health probe succeeds.
 * - `conflict`: the standby cancelled the statement because replay needed what it read (a
 *   recovery conflict); the replica stays in use.
 * Undefined: the statement's own error (syntax, data), which the primary would raise as well.
 */
export type ReplicaFault = 'unreachable' | 'conflict';

/** connection_exception, insufficient_resources, system_error, internal_error */
const UNREACHABLE_CLASSES = ['08', '53', '58', 'XX'];
/** admin_shutdown, crash_shutdown, cannot_connect_now, database_dropped */
const UNREACHABLE_STATES = ['57P01', '57P02', '57P03', '57P04'];
/** serialization_failure and deadlock_detected: how a standby reports recovery conflicts */
const CONFLICT_STATES = ['40001', '40P01'];

export function replicaFaultOf(error: unknown): ReplicaFault | undefined {
  const state = sqlStateOf(error);
  // No SQLSTATE: the server never answered (refused, reset, timed out, terminated).
  if (state === undefined) return 'unreachable';
  if (UNREACHABLE_CLASSES.includes(state.slice(0, 2)) || UNREACHABLE_STATES.includes(state)) return 'unreachable';
  if (CONFLICT_STATES.includes(state)) return 'conflict';
  return undefined;
}
