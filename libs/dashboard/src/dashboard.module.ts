import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { DashboardAssets } from './dashboard-assets';
import { DashboardController } from './dashboard.controller';
import { RootRedirectController } from './root-redirect.controller';
import { SecurityHeadersMiddleware } from './security-headers.middleware';

/**
 * The dashboard at /dashboard/: plain ES modules and CSS served by the API itself (no build
 * step, no third-party host), reading only the public REST routes. `/` redirects here.
 */
@Module({
  controllers: [DashboardController, RootRedirectController],
  providers: [DashboardAssets],
})
export class DashboardModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SecurityHeadersMiddleware).forRoutes(DashboardController, RootRedirectController);
  }
}
