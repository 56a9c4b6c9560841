import { Test } from '@nestjs/testing';
import { CalendarModule, MarketCalendar } from './calendar.module';

describe('CalendarModule', () => {
  it('provides MarketCalendar', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CalendarModule] }).compile();
    const calendar = moduleRef.get(MarketCalendar);
    expect(calendar.isNyseTradingDay('2025-01-09')).toBe(false);
    expect(calendar.assetClassOf('X:BTCUSD')).toBe('crypto');
  });
});
