import { InvalidFieldError, messageOf, redactCredentials } from './errors';

describe('redactCredentials', () => {
  it('hides the password of every connection URL in a message', () => {
    expect(redactCredentials('connect to postgres://app:s3cr3t@db:5432/x failed; retry postgresql://u:p%40ss@h/y')).toBe(
      'connect to postgres://app:***@db:5432/x failed; retry postgresql://u:***@h/y',
    );
  });

  it('hides a Redis password given without a user', () => {
    expect(redactCredentials('connect ECONNREFUSED redis://:hunter2@cache:6379')).toBe('connect ECONNREFUSED redis://:***@cache:6379');
  });

  it('leaves URLs without a password alone', () => {
    expect(redactCredentials('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });
});

describe('domain errors', () => {
  it('name the field and the reason', () => {
    const error = new InvalidFieldError('start', 'must be before end');
    expect(error.kind).toBe('invalid');
    expect(error.field).toBe('start');
    expect(error.message).toBe('start: must be before end');
  });

  it('messageOf reads errors and anything else thrown', () => {
    expect(messageOf(new Error('boom'))).toBe('boom');
    expect(messageOf('plain')).toBe('plain');
  });
});
