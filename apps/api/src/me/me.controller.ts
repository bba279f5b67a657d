import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';

/** Who the token says you are: the dashboard shows the views your roles may use. */
@ApiTags('session')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @Roles('analyst', 'officer', 'partner', 'admin', 'ingest')
  @ApiOperation({ summary: 'The caller: subject, roles and areas from the token' })
  me(@Req() request: AuthenticatedRequest) {
    const { subject, roles, areas } = request.principal!;
    return { subject, roles, areas };
  }
}
