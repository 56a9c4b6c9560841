import { loadConfig } from './config.schema';

describe('timeframe configuration', () => {
  it('defaults DEFAULT_TIMEFRAMES to 1h and 1d, and allows all eight timeframes including 1m', () => {
    const config = loadConfig({});
    expect(config.DEFAULT_TIMEFRAMES).toEqual(['1h', '1d']);
    expect(config.ALLOWED_TIMEFRAMES).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w']);
  });
});
