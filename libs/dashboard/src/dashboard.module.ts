import { Module } from '@nestjs/common';

/** The dashboard at /dashboard: static pages served by the API itself. */
@Module({})
export class DashboardModule {}
