import { Controller, Get, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { overviewV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { GetOverviewUseCase } from './get-overview.usecase';

/** The dashboard's home view: counts in the caller's scope, each the size of a list another route answers. */
@ApiTags('overview')
@ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded in the access log, DPA 2018 s.62)' })
@Roles('analyst', 'officer', 'admin')
@Controller('v1/overview')
export class OverviewController {
  constructor(private readonly overview: GetOverviewUseCase) {}

  @Get()
  @Contract({
    summary:
      'Counts in your scope: lines by area and state, lines changed in 24 h, open alerts by severity and age, reviews due, dead letters waiting (admins)',
    auth: 'bearer',
    responses: [
      {
        status: 200,
        schema: overviewV1,
        description: 'the figures (reviewsDue: null unless analyst or admin; deadLetters: null unless admin)',
      },
    ],
    errors: ['INVALID_JUSTIFICATION'],
  })
  async get(@Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.overview.execute(request.principal!, justification ?? null, new Date());
  }
}
