import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** `/` is for people: send them to the dashboard (relative, so it works behind a path prefix too). */
@ApiExcludeController()
@Controller()
export class RootRedirectController {
  @Get()
  @Redirect('dashboard/', 302)
  root(): void {}
}
