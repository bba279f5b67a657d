import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What stays of an erased line's closure check-backs (issue 19: "aggregate weekly counts" kept, no
 * personal data): the weekly figures `checkBacksDone` and `checkBacksOverdue` are counted from the
 * check-back rows, which go with their line (`ON DELETE CASCADE`). The erasure's last step copies
 * each row's figure facts here first — area, when due, how it ended and when — without the line, the
 * closure, the outcome, who recorded it or why; one still open at the erasure ends there
 * (`cancelled`, at the erasure), so weeks before the erasure count as they did and later weeks do
 * not count a line that no longer exists. A plain table: the same on both database flavours.
 */
export class ErasedCheckBacks1796083200050 implements MigrationInterface {
  name = 'ErasedCheckBacks1796083200050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erased_check_backs (
        check_back_id uuid        PRIMARY KEY,
        area          text,
        due_at        timestamptz NOT NULL,
        status        text        NOT NULL CHECK (status IN ('done', 'cancelled')),
        checked_at    timestamptz,
        cancelled_at  timestamptz,
        CHECK ((status = 'done') = (checked_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS erased_check_backs`);
  }
}
