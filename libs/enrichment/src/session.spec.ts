import { newYorkDaySession, sessionKeyFor, utcDaySession } from './session';

describe('sessions', () => {
  it('anchors stocks and indices to the New York day, crypto and forex to the UTC day', () => {
    expect(sessionKeyFor('SPY')).toBe(newYorkDaySession);
    expect(sessionKeyFor('I:SPX')).toBe(newYorkDaySession);
    expect(sessionKeyFor('X:BTCUSD')).toBe(utcDaySession);
    expect(sessionKeyFor('C:EURUSD')).toBe(utcDaySession);
  });

  it('keys a bar by the start of its day', () => {
    const at = Date.parse('2011-07-01T03:30:00Z'); // June 30, 23:30 EDT
    expect(newYorkDaySession(at)).toBe(Date.parse('2011-06-30T04:00:00Z'));
    expect(utcDaySession(at)).toBe(Date.parse('2011-07-01T00:00:00Z'));
  });
});
