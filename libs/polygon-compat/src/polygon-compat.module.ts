import { Module } from '@nestjs/common';

/** Polygon.io (Massive.com) compatible routes (/v2/aggs, /v1/indicators) answered from our store. */
@Module({})
export class PolygonCompatModule {}
