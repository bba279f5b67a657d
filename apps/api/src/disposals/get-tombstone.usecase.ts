import { Injectable } from '@nestjs/common';
import { Database, ErasureRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { ConsultationLog } from '../audit/consultation.log';
import { DisposalError } from './cancel-disposal.usecase';

/** What stays of an erased line (admins): its tombstones, with the ids of its erased events. The read is logged. */
@Injectable()
export class GetTombstoneUseCase {
  constructor(
    private readonly database: Database,
    private readonly erasures: ErasureRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, lineId: string, justification: string | null) {
    const tombstones = await this.database.autocommit((q) => this.erasures.tombstonesOf(q, lineId));
    await this.log.record(principal, { type: 'tombstone', id: lineId }, justification, { found: tombstones.length > 0 });
    if (tombstones.length === 0) throw new DisposalError('TOMBSTONE_NOT_FOUND', `no erased line ${lineId}`);
    return {
      lineId,
      tombstones: tombstones.map((t) => ({
        erasureId: t.erasureId,
        erasedAt: t.erasedAt.toISOString(),
        reviewId: t.reviewId,
        decidedBy: t.decidedBy,
        decidedAt: t.decidedAt?.toISOString() ?? null,
        legalBasis: t.legalBasis,
        events: t.events,
        alerts: t.alerts,
        identifiers: t.identifiers,
        eventIds: t.eventIds,
      })),
    };
  }
}
