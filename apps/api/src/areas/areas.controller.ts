import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { areasV1, teamsV1 } from '@linewatch/contracts';
import { Contract } from '@linewatch/platform';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';

/**
 * The configured areas and their neighbourhood teams (config/areas.json, config/alert-routing.json).
 * Recipients' addresses are personal data: only admins see them.
 */
@ApiTags('areas')
@Controller('v1')
export class AreasController {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  @Get('areas')
  @Roles('analyst', 'officer', 'partner', 'admin')
  @Contract({
    summary: 'Areas events may name, each with its neighbourhood team',
    auth: 'bearer',
    responses: [{ status: 200, schema: areasV1, description: 'the configured areas' }],
    errors: [],
  })
  areas() {
    const teams = new Map(this.config.routing.teams.map((team) => [team.id, team]));
    return {
      areas: this.config.areas.areas.map((area) => {
        const team = teams.get(area.neighbourhoodTeam);
        return { code: area.code, name: area.name, team: team ? { teamId: team.id, name: team.name } : null };
      }),
    };
  }

  @Get('teams')
  @Roles('analyst', 'officer', 'admin')
  @Contract({
    summary: 'Neighbourhood teams: their areas and escalation levels (recipients for admins)',
    auth: 'bearer',
    responses: [{ status: 200, schema: teamsV1, description: 'the teams (recipients: a list for admins, their number for others)' }],
    errors: [],
  })
  teams(@Req() request: AuthenticatedRequest) {
    const admin = request.principal!.roles.includes('admin');
    return {
      teams: this.config.routing.teams.map((team) => ({
        teamId: team.id,
        name: team.name,
        areas: this.config.areas.areas.filter((area) => area.neighbourhoodTeam === team.id).map((area) => area.code),
        quietHours: team.quietHours ?? null,
        levels: team.levels.map((level) => ({
          level: level.level,
          name: level.name,
          afterMinutes: level.afterMinutes,
          recipients: admin
            ? level.recipients.map((r) => ({ id: r.id, name: r.name, email: r.email ?? null, webhookUrl: r.webhookUrl ?? null }))
            : level.recipients.length,
        })),
      })),
    };
  }
}
