import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthenticatedRequest } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';

/**
 * The configured areas and their neighbourhood teams (config/areas.json, config/alert-routing.json).
 * Recipients' addresses are personal data: only admins see them.
 */
@ApiTags('areas')
@ApiBearerAuth()
@Controller('v1')
export class AreasController {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  @Get('areas')
  @Roles('analyst', 'officer', 'partner', 'admin')
  @ApiOperation({ summary: 'Areas events may name, each with its neighbourhood team' })
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
  @ApiOperation({ summary: 'Neighbourhood teams: their areas and escalation levels (recipients for admins)' })
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
