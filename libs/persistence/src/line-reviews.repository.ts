import { managerOf, type Tx } from './database';

export type ReviewDecision = 'retain' | 'dispose';

export interface LineReview {
  readonly reviewId: string;
  readonly lineId: string;
  readonly reviewedAt: Date;
  readonly reviewedBy: string;
  readonly decision: ReviewDecision;
  readonly rationale: string;
  /** The next review date (retain); null when the record is marked for disposal. */
  readonly nextReviewAt: Date | null;
}

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
export const reviewOf = (r: any): LineReview => ({
  reviewId: r.review_id,
  lineId: r.line_id,
  reviewedAt: r.reviewed_at,
  reviewedBy: r.reviewed_by,
  decision: r.decision,
  rationale: r.rationale,
  nextReviewAt: r.next_review_at,
});

/** MoPI reviews of line records: the history, and the line's next review date, written together. */
export class LineReviewsRepository {
  /** Records a review and sets the line's review date to `dueAt`; false when the line does not exist. */
  async record(q: Tx, review: LineReview, dueAt: Date): Promise<boolean> {
    const updated: unknown = await managerOf(q).query(`UPDATE lines SET review_due_at = $2 WHERE line_id = $1 RETURNING line_id`, [
      review.lineId,
      dueAt,
    ]);
    const rows = updated as unknown[];
    const changed = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
    if (changed === 0) return false;
    await managerOf(q).query(
      `INSERT INTO line_reviews (review_id, line_id, reviewed_at, reviewed_by, decision, rationale, next_review_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [review.reviewId, review.lineId, review.reviewedAt, review.reviewedBy, review.decision, review.rationale, review.nextReviewAt],
    );
    return true;
  }
}
