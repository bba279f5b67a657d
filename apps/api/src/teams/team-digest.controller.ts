import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { teamDigestPreviewParamsV1, teamDigestV1 } from '@linewatch/contracts';
import { Contract, JUSTIFICATION, Justification } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { PreviewTeamDigestUseCase } from './preview-team-digest.usecase';

/** A team's next digest, as it would go out now (admins; docs/alerts.md "Team digests"). */
@ApiTags('teams')
@Controller('v1/teams')
export class TeamDigestController {
  constructor(private readonly preview: PreviewTeamDigestUseCase) {}

  @Get(':teamId/digest-preview')
  @ApiHeader({ name: JUSTIFICATION, required: false, description: 'why you are looking (recorded, DPA 2018 s.62)' })
  @Roles('admin')
  @Contract({
    summary: "A team's next digest as it would be sent now (since its previous digest); nothing is sent; the read is logged",
    auth: 'bearer',
    params: teamDigestPreviewParamsV1,
    responses: [{ status: 200, schema: teamDigestV1, description: 'the digest body (contentVersion 1) the team would get now' }],
    errors: ['TEAM_NOT_FOUND', 'INVALID_JUSTIFICATION'],
  })
  async digestPreview(@Param('teamId') teamId: string, @Req() request: AuthenticatedRequest, @Justification() justification?: string) {
    return this.preview.execute(request.principal!, teamId, new Date(), justification);
  }
}
