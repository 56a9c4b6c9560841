import { indicatorRequestOf } from './indicator-request';

const DAY = 86_400_000;

describe('indicatorRequestOf', () => {
  it('applies the provider defaults', () => {
    expect(indicatorRequestOf('sma', 'spy', {})).toMatchObject({
      symbol: 'SPY',
      ticker: 'spy',
      timeframe: '1d',
      spec: 'sma:50',
      order: 'desc',
      limit: 10,
      adjusted: true,
      expandUnderlying: false,
      start: undefined,
      end: undefined,
    });
    expect(indicatorRequestOf('rsi', 'SPY', {}).spec).toBe('rsi:14');
    expect(indicatorRequestOf('macd', 'SPY', { timespan: 'hour' })).toMatchObject({ spec: 'macd:12:26:9', timeframe: '1h' });
    expect(indicatorRequestOf('ema', 'SPY', { limit: '9000' }).limit).toBe(5000);
  });

  it('turns the timestamp filters into one [start, end): a date is its New York day', () => {
    const jan2 = Date.UTC(2024, 0, 2, 5);
    expect(indicatorRequestOf('sma', 'SPY', { timestamp: '2024-01-02' })).toMatchObject({ start: jan2, end: jan2 + DAY });
    expect(indicatorRequestOf('sma', 'SPY', { timestamp: '1704207600000' })).toMatchObject({ start: 1704207600000, end: 1704207600001 });
    expect(indicatorRequestOf('sma', 'SPY', { 'timestamp.gt': '2024-01-02', 'timestamp.lt': '2024-01-05' })).toMatchObject({
      start: jan2 + DAY,
      end: jan2 + 3 * DAY,
    });
    expect(
      indicatorRequestOf('sma', 'SPY', { 'timestamp.gte': '2024-01-02', 'timestamp.lte': '2024-01-05', 'timestamp.lt': '1704380400000' }),
    ).toMatchObject({
      start: jan2,
      end: 1704380400000,
    });
  });

  it.each([
    [{ timespan: 'quarter' } as const, /^timespan: quarter bars are not served/],
    [{ series_type: 'open' } as const, /^series_type: /],
    [{ window: '0' }, /^window: "sma:0"/],
    [{ limit: 'x' }, /^limit: /],
  ])('refuses %j naming the parameter', (query, message) => {
    expect(() => indicatorRequestOf('sma', 'SPY', query)).toThrow(message);
  });
});
