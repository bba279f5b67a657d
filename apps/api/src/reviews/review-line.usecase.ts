import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AuditRepository,
  Database,
  ErasureRepository,
  LineReviewsRepository,
  type LineReview,
  type ReviewDecision,
} from '@linewatch/persistence';
import { CodedError } from '@linewatch/platform';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReviewRequest {
  readonly decision: ReviewDecision;
  readonly rationale: string;
  /** With `retain`: when the record is next due; the configured interval from now when left out. */
  readonly nextReviewAt?: Date;
}

export class ReviewError extends CodedError<'LINE_NOT_FOUND' | 'INVALID_REVIEW' | 'DISPOSAL_PENDING'> {}

/**
 * MoPI review of a line's record: retain (until the next review date) or dispose — which starts
 * the disposal hold (DISPOSAL_HOLD_DAYS), at the end of which the erasure job erases the line (an
 * admin may cancel the hold meanwhile). While a hold is open the line takes no other review
 * (DISPOSAL_PENDING): cancel the hold first. The review, the line's new date, the hold and the
 * s.62 entry are written in one transaction. An erased line is not found, like an unknown one.
 */
@Injectable()
export class ReviewLineUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly reviews: LineReviewsRepository,
    private readonly disposals: ErasureRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, lineId: string, request: ReviewRequest, now: Date): Promise<LineReview> {
    const next =
      request.decision === 'retain'
        ? (request.nextReviewAt ?? new Date(now.getTime() + this.config.extra.LINE_REVIEW_INTERVAL_DAYS * DAY_MS))
        : null;
    if (request.decision === 'dispose' && request.nextReviewAt) {
      throw new ReviewError('INVALID_REVIEW', 'a record marked for disposal takes no next review date');
    }
    if (next && next.getTime() <= now.getTime()) throw new ReviewError('INVALID_REVIEW', 'nextReviewAt must be in the future');
    const review: LineReview = {
      reviewId: randomUUID(),
      lineId,
      reviewedAt: now,
      reviewedBy: principal.subject,
      decision: request.decision,
      rationale: request.rationale,
      nextReviewAt: next,
    };
    return this.database.transaction(async (tx) => {
      // Disposal keeps the line due (now) until it is erased: it stays on the review list, with its hold.
      if (!(await this.reviews.record(tx, review, next ?? now))) {
        throw new ReviewError('LINE_NOT_FOUND', `no line ${lineId}`);
      }
      const open = await this.disposals.openHold(tx, lineId);
      if (open) {
        throw new ReviewError(
          'DISPOSAL_PENDING',
          `line ${lineId} is held for disposal (decided ${open.decidedAt.toISOString()}, erased after ${open.eraseAfter.toISOString()}); an admin may cancel the hold first`,
        );
      }
      const eraseAfter = new Date(now.getTime() + this.config.extra.DISPOSAL_HOLD_DAYS * DAY_MS);
      if (review.decision === 'dispose') {
        await this.disposals.startHold(tx, { reviewId: review.reviewId, lineId, decidedAt: now, decidedBy: principal.subject, eraseAfter });
      }
      await this.audit.append(tx, [
        {
          at: now,
          actor: principal.subject,
          action: 'alteration',
          subjectType: 'line',
          subjectId: lineId,
          justification: `MoPI review: ${request.decision} — ${request.rationale}`,
          details: {
            reviewId: review.reviewId,
            decision: review.decision,
            nextReviewAt: next,
            ...(review.decision === 'dispose' ? { eraseAfter } : {}),
          },
        },
      ]);
      return review;
    });
  }
}
