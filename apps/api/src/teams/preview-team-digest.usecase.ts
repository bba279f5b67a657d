import { Inject, Injectable } from '@nestjs/common';
import type { TeamDigestV1 } from '@linewatch/contracts';
import { dueDigestSlot, teamDigest } from '@linewatch/domain';
import { CodedError } from '@linewatch/platform';
import { Database, TeamDigestsRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';

export class TeamDigestError extends CodedError<'TEAM_NOT_FOUND'> {}

/**
 * What a team's next digest would say if it went out now: everything since its previous digest
 * (or, before its first, since the latest scheduled instant), its lines by state and its open
 * alerts — the body the alerter sends (apps/alerter/src/digest). Nothing is sent or recorded but
 * the consultation (s.62).
 */
@Injectable()
export class PreviewTeamDigestUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly digests: TeamDigestsRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, teamId: string, now: Date, justification: string | undefined): Promise<TeamDigestV1> {
    const team = this.config.routing.teams.find((t) => t.id === teamId);
    await this.log.record(principal, { type: 'team-digest-preview', id: teamId }, justification, team ? {} : { found: false });
    if (!team) throw new TeamDigestError('TEAM_NOT_FOUND', `no team ${teamId} in the alert routing`);
    const schedule = team.digest.schedule;
    const areas = Object.fromEntries(this.config.areas.areas.filter((a) => a.neighbourhoodTeam === team.id).map((a) => [a.code, a.name]));
    const input = await this.database.autocommit(async (q) => {
      const from = (await this.digests.lastPeriodEnd(q, team.id)) ?? dueDigestSlot(now, schedule);
      return this.digests.digestInput(q, team, areas, schedule.timeZone, from, now, now);
    });
    return teamDigest(input);
  }
}
