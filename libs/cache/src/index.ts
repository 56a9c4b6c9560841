export { AnswerCache, DEGRADED_TTL_MS, type Lookup } from './answer-cache';
export type { CachedAnswer } from './cached-answer';
export { CacheModule } from './cache.module';
export type { CacheHealth } from './cache-redis';
export { SeriesVersions, seriesTag, type SeriesId } from './series-versions';
