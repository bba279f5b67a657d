import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Review and retention (MoPI): each line carries the date its record is next due for review;
 * `line_reviews` keeps every review (who, when, the decision, the next date). A line never
 * reviewed is due at its first record + the configured interval (LINE_REVIEW_INTERVAL_DAYS),
 * so `review_due_at` is NULL until the first review. Also the indexes the alert inbox reads by
 * (newest first, by area).
 */
export class ReviewsAndAlertQueries1796083200005 implements MigrationInterface {
  name = 'ReviewsAndAlertQueries1796083200005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lines ADD COLUMN review_due_at timestamptz`);
    await queryRunner.query(`CREATE INDEX lines_review_due ON lines (review_due_at)`);
    await queryRunner.query(`CREATE INDEX lines_created ON lines (created_at)`);
    await queryRunner.query(`
      CREATE TABLE line_reviews (
        review_id      uuid        PRIMARY KEY,
        line_id        text        NOT NULL REFERENCES lines (line_id) ON DELETE CASCADE,
        reviewed_at    timestamptz NOT NULL,
        reviewed_by    text        NOT NULL,
        decision       text        NOT NULL CHECK (decision IN ('retain', 'dispose')),
        rationale      text        NOT NULL,
        next_review_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX line_reviews_line ON line_reviews (line_id, reviewed_at DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_raised ON alerts (raised_at DESC, alert_id DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_areas ON alerts USING gin (areas)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX alerts_areas`);
    await queryRunner.query(`DROP INDEX alerts_raised`);
    await queryRunner.query(`DROP TABLE line_reviews`);
    await queryRunner.query(`DROP INDEX lines_created`);
    await queryRunner.query(`DROP INDEX lines_review_due`);
    await queryRunner.query(`ALTER TABLE lines DROP COLUMN review_due_at`);
  }
}
