import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository, Database, LineReviewsRepository, type LineReview, type ReviewDecision } from '@linewatch/persistence';
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

export class ReviewError extends CodedError<'LINE_NOT_FOUND' | 'INVALID_REVIEW'> {}

/**
 * MoPI review of a line's record: retain (until the next review date) or dispose (the record
 * stays due, flagged, until it is erased). The review, the line's new date and the s.62 entry
 * are written in one transaction.
 */
@Injectable()
export class ReviewLineUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly reviews: LineReviewsRepository,
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
      // Disposal keeps the line due (now) until it is erased: it stays on the review list.
      if (!(await this.reviews.record(tx, review, next ?? now))) {
        throw new ReviewError('LINE_NOT_FOUND', `no line ${lineId}`);
      }
      await this.audit.append(tx, [
        {
          at: now,
          actor: principal.subject,
          action: 'alteration',
          subjectType: 'line',
          subjectId: lineId,
          justification: `MoPI review: ${request.decision} — ${request.rationale}`,
          details: { reviewId: review.reviewId, decision: review.decision, nextReviewAt: next },
        },
      ]);
      return review;
    });
  }
}
