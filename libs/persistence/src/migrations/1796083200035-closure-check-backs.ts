import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closure check-backs (issue 19, PRODUCT.md "Closure check-backs"). Plain tables on both database
 * flavours.
 *
 * - `line_check_backs`: the check-backs a Type 1 closure calls for, one per (line, closure event,
 *   offset): the tracker derives them from the line's timeline every time it saves the line, so a
 *   redelivery, a rebuild or a late event writes the same rows (the unique key). `status`:
 *   `scheduled` (waiting for an analyst), `done` (recorded: `outcome` out_of_use or in_use),
 *   `cancelled` (the line is no longer closed by that closure: resurfaced, reopened, or the closure
 *   rewritten by a late event; revived if a later computation closes it by it again).
 *   Rows go with their line (ON DELETE CASCADE: an erased line leaves none). `area`: the closure
 *   event's, for the weekly export's per-area figures.
 * - `check_back_reminders`: the one reminder of a check-back overdue by more than the configured
 *   days, to the intelligence team; the check-back id is the key, so there is one across alerter
 *   replicas and restarts. A lease (holder, lease_until) picks the replica that sends it; `sent_to`
 *   records each recipient/channel sent, so a retry after a crash sends only what is missing.
 */
export class ClosureCheckBacks1796083200035 implements MigrationInterface {
  name = 'ClosureCheckBacks1796083200035';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE line_check_backs (
        check_back_id    uuid        PRIMARY KEY,
        line_id          text        NOT NULL REFERENCES lines (line_id) ON DELETE CASCADE,
        area             text,
        closure_event_id uuid        NOT NULL,
        closed_at        timestamptz NOT NULL,
        offset_days      integer     NOT NULL CHECK (offset_days > 0),
        due_at           timestamptz NOT NULL,
        status           text        NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'done', 'cancelled')),
        outcome          text        CHECK (outcome IN ('out_of_use', 'in_use')),
        checked_at       timestamptz,
        recorded_at      timestamptz,
        recorded_by      text,
        rationale        text,
        sighting_event_id uuid,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (line_id, closure_event_id, offset_days),
        CHECK ((status = 'done') = (outcome IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX line_check_backs_scheduled ON line_check_backs (due_at) WHERE status = 'scheduled'`);
    await queryRunner.query(`CREATE INDEX line_check_backs_recorded ON line_check_backs (recorded_at) WHERE status = 'done'`);
    await queryRunner.query(`
      CREATE TABLE check_back_reminders (
        check_back_id uuid        PRIMARY KEY REFERENCES line_check_backs (check_back_id) ON DELETE CASCADE,
        reminder_id   uuid        NOT NULL UNIQUE,
        holder        text,
        lease_until   timestamptz,
        sent_to       text[]      NOT NULL DEFAULT '{}',
        attempts      integer     NOT NULL DEFAULT 0,
        created_at    timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS check_back_reminders`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_check_backs`);
  }
}
