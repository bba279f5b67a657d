import { Injectable } from '@nestjs/common';
import { AuditRepository, Database, ErasureRepository } from '@linewatch/persistence';
import { CodedError } from '@linewatch/platform';
import type { Principal } from '@linewatch/security';

export class DisposalError extends CodedError<'LINE_NOT_FOUND' | 'NO_DISPOSAL_HOLD' | 'TOMBSTONE_NOT_FOUND'> {}

/**
 * An admin cancels a line's disposal hold, with a reason: the line is not erased, and stays due for
 * review (a new review decides again). Once the erasure job has begun the hold is no longer
 * cancellable (NO_DISPOSAL_HOLD). The cancellation and its s.62 alteration entry are one transaction.
 */
@Injectable()
export class CancelDisposalUseCase {
  constructor(
    private readonly database: Database,
    private readonly disposals: ErasureRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, lineId: string, reason: string, now: Date) {
    return this.database.transaction(async (tx) => {
      if (!(await this.disposals.lineExists(tx, lineId))) throw new DisposalError('LINE_NOT_FOUND', `no line ${lineId}`);
      const hold = await this.disposals.cancelHold(tx, lineId, principal.subject, reason, now);
      if (!hold) throw new DisposalError('NO_DISPOSAL_HOLD', `line ${lineId} has no disposal hold to cancel`);
      await this.audit.append(tx, [
        {
          at: now,
          actor: principal.subject,
          action: 'alteration',
          subjectType: 'line',
          subjectId: lineId,
          justification: `disposal hold cancelled — ${reason}`,
          details: { reviewId: hold.reviewId, decidedBy: hold.decidedBy, eraseAfter: hold.eraseAfter, cancelled: true },
        },
      ]);
      return {
        reviewId: hold.reviewId,
        lineId,
        decidedAt: hold.decidedAt,
        decidedBy: hold.decidedBy,
        eraseAfter: hold.eraseAfter,
        status: 'cancelled' as const,
        cancelledAt: now,
        cancelledBy: principal.subject,
        reason,
      };
    });
  }
}
