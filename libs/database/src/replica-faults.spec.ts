import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { replicaFaultOf } from './replica-faults';

function serverError(code: string): DatabaseError {
  const error = new DatabaseError('from the server', 0, 'error');
  error.code = code;
  error.severity = 'ERROR';
  return error;
}

describe('replicaFaultOf', () => {
  it('a replica that does not answer: refused, reset, cut, shutting down, out of connections', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });
    const pipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    for (const error of [
      refused,
      pipe,
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ])
      expect(replicaFaultOf(error)).toBe('unreachable');
    for (const code of ['57P01', '57P03', '08006', '53300'])
      expect(replicaFaultOf(new QueryFailedError('SELECT 1', [], serverError(code)))).toBe('unreachable');
  });

  it('a recovery conflict: the primary answers, the replica stays in use', () => {
    expect(replicaFaultOf(new QueryFailedError('SELECT 1', [], serverError('40001')))).toBe('conflict');
  });

  it("the statement's own error: the primary would raise it too", () => {
    for (const code of ['42P01', '22P02', '42601'])
      expect(replicaFaultOf(new QueryFailedError('SELECT', [], serverError(code)))).toBeUndefined();
  });
});
