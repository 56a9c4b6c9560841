export { expectSameBars, rollUp, type ReferenceBar } from './reference-rollup';
export { syntheticMinutes, syntheticSessions } from './synthetic-minutes';
// Internals that benchmarks time against a raw-SQL reference; not part of the library's API.
export { DerivedCandleRepository } from '../derived/derived-candle.repository';
export { readAggregateSql, rollUpMinutesSql } from '../derived/derived-candle.sql';
