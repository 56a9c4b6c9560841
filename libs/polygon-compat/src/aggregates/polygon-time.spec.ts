import { PolygonRequestError } from '../http/polygon-request.error';
import { parsePolygonTime } from './polygon-time';

describe('parsePolygonTime', () => {
  it('reads a date as its whole New York day, in winter and in summer', () => {
    expect(parsePolygonTime('2024-01-02', 'from')).toBe(Date.UTC(2024, 0, 2, 5));
    expect(parsePolygonTime('2024-01-02', 'to')).toBe(Date.UTC(2024, 0, 3, 5) - 1);
    expect(parsePolygonTime('2024-07-01', 'from')).toBe(Date.UTC(2024, 6, 1, 4));
    // 2024-03-10 is 23 hours long.
    expect(parsePolygonTime('2024-03-10', 'to') + 1 - parsePolygonTime('2024-03-10', 'from')).toBe(23 * 3_600_000);
  });

  it('takes Unix milliseconds as they are', () => {
    expect(parsePolygonTime('1704205800000', 'from')).toBe(1704205800000);
    expect(parsePolygonTime('0', 'to')).toBe(0);
  });

  it.each(['2024-02-30', '2024-1-02', 'yesterday', '1704205800000.5', '-5', '2024-01-02T00:00:00Z', ''])(
    'refuses %j in the provider words',
    (text) => {
      const attempt = () => parsePolygonTime(text, 'to');
      expect(attempt).toThrow(PolygonRequestError);
      expect(attempt).toThrow("Could not parse the time parameter: 'to'. Use YYYY-MM-DD or Unix MS Timestamps");
    },
  );
});
