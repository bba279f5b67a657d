import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository, DATA_SOURCE, LineReviewsRepository, type LineReview, type ReviewDecision } from '@linewatch/persistence';
import { CodedError } from '@linewatch/platform';
import type { Principal } from '@linewatch/security';
import type { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from './api.config';

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
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
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
    return this.dataSource.transaction(async (manager) => {
      // Disposal keeps the line due (now) until it is erased: it stays on the review list.
      if (!(await this.reviews.record(manager, review, next ?? now))) {
        throw new ReviewError('LINE_NOT_FOUND', `no line ${lineId}`);
      }
      await this.audit.append(manager, [
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
