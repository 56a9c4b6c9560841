export { FakePolygonServer } from './fake-polygon.server';
export type { FakePolygonOptions, FakeRequestRecord } from './fake-polygon.server';
export { FAULT_KINDS, FaultPlan } from './fake-polygon.faults';
export type { FaultKind, RandomFaults } from './fake-polygon.faults';
export { FAKE_SPLIT_AT, FakeMarket } from './fake-market';
export type { FakeMarketOptions } from './fake-market';
export { SPY_FIXTURE_END, SPY_FIXTURE_START, spyMinuteBars, spyMinuteCandles } from './spy-minute.fixture';
export type { WireBar } from './wire-bar';
export { CapturingLogger } from './capturing.logger';
