import { Controller, Get, Header, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfigService } from '@app/config';
import { negotiateEncoding } from '@app/http';
import { DashboardAssets } from './dashboard-assets';
import { type DashboardSettings, dashboardSettings } from './dashboard-settings';

const PREFIX = '/dashboard/';

/** The dashboard's page, its scripts and styles, the chart library, and the settings the page reads. */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly settings: DashboardSettings;

  constructor(
    private readonly assets: DashboardAssets,
    config: AppConfigService,
  ) {
    this.settings = dashboardSettings(config);
  }

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    // Without the trailing slash the page's relative URLs (./js, ../api) would resolve one level up.
    if (!request.path.endsWith('/')) {
      const query = request.originalUrl.indexOf('?');
      response.redirect(302, `dashboard/${query === -1 ? '' : request.originalUrl.slice(query)}`);
      return;
    }
    await this.send(request, response, '');
  }

  @Get('config.json')
  @Header('Cache-Control', 'no-store')
  config(): DashboardSettings {
    return this.settings;
  }

  @Get('*path')
  async file(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.send(request, response, request.path.slice(PREFIX.length));
  }

  private async send(request: Request, response: Response, path: string): Promise<void> {
    const asset = this.assets.find(path);
    if (asset === undefined) throw new NotFoundException(`${PREFIX}${path} is not part of the dashboard`);
    const encoding = negotiateEncoding(request.get('accept-encoding'), asset.body.length);
    const { body, etag } = await this.assets.encode(asset, encoding);
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('ETag', etag);
    // Always revalidated (a 304 costs nothing), so a new release is picked up at the next load.
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Vary', 'Accept-Encoding');
    if (encoding !== 'identity') response.setHeader('Content-Encoding', encoding);
    if (request.get('if-none-match') === etag) {
      response.status(304).end();
      return;
    }
    response.status(200).send(body);
  }
}
