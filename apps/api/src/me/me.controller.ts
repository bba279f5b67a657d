import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { sessionV1 } from '@linewatch/contracts';
import { Contract } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';

/** Who the token says you are: the dashboard shows the views your roles may use. */
@ApiTags('session')
@Controller('v1/me')
export class MeController {
  @Get()
  @Roles('analyst', 'officer', 'partner', 'admin', 'ingest')
  @Contract({
    summary: 'The caller: subject, roles and areas from the token',
    auth: 'bearer',
    responses: [{ status: 200, schema: sessionV1, description: 'who the token says you are' }],
    errors: [],
  })
  me(@Req() request: AuthenticatedRequest) {
    const { subject, roles, areas } = request.principal!;
    return { subject, roles, areas };
  }
}
