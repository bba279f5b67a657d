import { Injectable } from '@nestjs/common';
import type { EventStandingV1 } from '@linewatch/contracts';
import { AuditRepository, Database, EventStandingRepository, type EventStanding } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { EventError } from './event.errors';

/** The answer from what is stored: each step the event reached, and its lines as they resolve now. */
export function eventStandingOf(eventId: string, standing: EventStanding): EventStandingV1 {
  const stored = standing.stored !== null;
  // Stored and applied commit in one tracker transaction; a line without a timeline (none yet) is not applied.
  const applied = stored && standing.lines.every((line) => line.tracked);
  return {
    eventId,
    status: standing.erasedAt ? 'erased' : applied ? 'applied' : stored ? 'stored' : 'received',
    received: true,
    receivedAt: standing.receivedAt?.toISOString() ?? null,
    ...(standing.erasedAt ? { erasedAt: standing.erasedAt.toISOString() } : {}),
    stored,
    applied,
    ...(standing.stored === null ? {} : { type: standing.stored.type, occurredAt: standing.stored.occurredAt, area: standing.stored.area }),
    lines: standing.lines.map((line) => ({
      lineId: line.lineId,
      ...(line.namedAs === line.lineId ? {} : { namedAs: line.namedAs }),
      how: line.how,
      ...(line.conflictWith === undefined ? {} : { conflictWith: line.conflictWith }),
      state: line.state as EventStandingV1['lines'][number]['state'],
    })),
  };
}

/**
 * Where an event stands (`GET /v1/events/{eventId}`): received, stored, applied, its lines and how
 * they were resolved — so a records system confirms its report landed without reading a line's
 * events. Every read is an s.62 consultation (a miss too: probing shows in the log).
 */
@Injectable()
export class GetEventStandingUseCase {
  constructor(
    private readonly database: Database,
    private readonly standings: EventStandingRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, eventId: string, justification: string | null): Promise<EventStandingV1> {
    const standing = await this.database.autocommit((q) => this.standings.standingOf(q, eventId));
    const answer = standing === null ? null : eventStandingOf(eventId, standing);
    await this.database.autocommit((q) =>
      this.audit.append(q, [
        {
          actor: principal.subject,
          action: 'consultation',
          subjectType: 'intel-event',
          subjectId: eventId,
          justification: justification?.trim() || '(none given)',
          details: { found: answer !== null, status: answer?.status ?? null, roles: principal.roles, areas: principal.areas },
        },
      ]),
    );
    if (answer === null) throw new EventError('EVENT_NOT_FOUND', `no event ${eventId} was received`);
    return answer;
  }
}
