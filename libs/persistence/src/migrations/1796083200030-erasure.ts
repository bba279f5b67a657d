import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether TimescaleDB is installed here: checked by the migration itself, so it never changes with the code. */
async function timescaleInstalled(queryRunner: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0;
}

/** The weekly event figures (the same columns as `weekly_event_counts`; this list is the migration's and never changes). */
const EVENT_COUNT_COLUMNS = [
  'raids',
  'arrests',
  'seizures',
  'referrals',
  'referrals_children',
  'referrals_adults',
  'referrals_criminal',
  'referrals_sexual',
  'referrals_cuckooing',
] as const;

/**
 * Disposal, erasure and retention (issue 19; docs/operations.md, "Erasure and retention").
 *
 * - `line_disposals`: each `dispose` decision and its hold — `held` until `erase_after`, then
 *   `erasing` (the job took it) and `erased`; or `cancelled` by an admin with a reason. At most one
 *   open (held or erasing) per line. No FK to `lines`: it outlives the line.
 * - `erasures`: one row per erasure (a line's disposal, or a retention run), with the counts of what
 *   it erased so far — each bounded batch adds its counts in the transaction that deletes its rows,
 *   so a run resumed after a crash ends with the same counts as one never interrupted.
 *   `erasure_line_counts`: a retention run's events erased per line (its s.62 entries name each line).
 * - `line_tombstones`: what stays of an erased line — its id, when, by which erasure and decision,
 *   and the counts. No content.
 * - `intel_event_ids.erased_at`: the tombstone of an erased event is its idempotency row, kept (a
 *   resend is still a duplicate and is never stored again), marked erased; `erased_event_ids` lists
 *   them under the erasure that erased them (an admin's view of a line's tombstone).
 * - `erased_event_counts`: what the erased events contributed to the weekly event figures, per area
 *   and week (aggregates, no personal data): the figures read `weekly_event_counts` plus these, so
 *   an erasure leaves every weekly figure unchanged (docs/exports.md).
 * - TimescaleDB: the retention policy of migration 0002 (7 years, blind to review decisions) is
 *   removed; raw-event retention is the erasure job's (RAW_EVENT_RETENTION_YEARS) on both flavours.
 */
export class Erasure1796083200030 implements MigrationInterface {
  name = 'Erasure1796083200030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE line_disposals (
        review_id     uuid        PRIMARY KEY,
        line_id       text        NOT NULL,
        decided_at    timestamptz NOT NULL,
        decided_by    text        NOT NULL,
        erase_after   timestamptz NOT NULL,
        status        text        NOT NULL CHECK (status IN ('held', 'cancelled', 'erasing', 'erased')),
        cancelled_at  timestamptz,
        cancelled_by  text,
        cancel_reason text,
        erasure_id    uuid
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX line_disposals_open ON line_disposals (line_id) WHERE status IN ('held', 'erasing')`);
    await queryRunner.query(`CREATE INDEX line_disposals_due ON line_disposals (erase_after) WHERE status = 'held'`);

    await queryRunner.query(`
      CREATE TABLE erasures (
        erasure_id      uuid        PRIMARY KEY,
        kind            text        NOT NULL CHECK (kind IN ('disposal', 'retention')),
        line_id         text,
        review_id       uuid,
        decided_by      text,
        decided_at      timestamptz,
        legal_basis     text        NOT NULL,
        cutoff          timestamptz,
        started_at      timestamptz NOT NULL,
        finished_at     timestamptz,
        events          integer     NOT NULL DEFAULT 0,
        events_unlinked integer     NOT NULL DEFAULT 0,
        identity_facts  integer     NOT NULL DEFAULT 0,
        state_changes   integer     NOT NULL DEFAULT 0,
        alerts          integer     NOT NULL DEFAULT 0,
        deliveries      integer     NOT NULL DEFAULT 0,
        identifiers     integer     NOT NULL DEFAULT 0,
        periods         integer     NOT NULL DEFAULT 0,
        CHECK ((kind = 'disposal') = (line_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX erasures_unfinished ON erasures (started_at) WHERE finished_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE erasure_line_counts (
        erasure_id uuid    NOT NULL REFERENCES erasures (erasure_id),
        line_id    text    NOT NULL,
        events     integer NOT NULL,
        PRIMARY KEY (erasure_id, line_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE line_tombstones (
        erasure_id  uuid        PRIMARY KEY REFERENCES erasures (erasure_id),
        line_id     text        NOT NULL,
        erased_at   timestamptz NOT NULL,
        review_id   uuid,
        decided_by  text,
        decided_at  timestamptz,
        legal_basis text        NOT NULL,
        events      integer     NOT NULL,
        alerts      integer     NOT NULL,
        identifiers integer     NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX line_tombstones_line ON line_tombstones (line_id, erased_at DESC)`);

    await queryRunner.query(`ALTER TABLE intel_event_ids ADD COLUMN erased_at timestamptz`);
    await queryRunner.query(`
      CREATE TABLE erased_event_ids (
        event_id   uuid PRIMARY KEY,
        erasure_id uuid NOT NULL REFERENCES erasures (erasure_id)
      )`);
    await queryRunner.query(`CREATE INDEX erased_event_ids_erasure ON erased_event_ids (erasure_id)`);

    await queryRunner.query(`
      CREATE TABLE erased_event_counts (
        area       text        NOT NULL,
        week_start timestamptz NOT NULL,
        ${EVENT_COUNT_COLUMNS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (week_start, area)
      )`);

    if (await timescaleInstalled(queryRunner)) {
      await queryRunner.query(`SELECT remove_retention_policy('intel_events', if_exists => true)`);
    } else {
      // Retention reads raw events by event time (a hypertable has this index already).
      await queryRunner.query(`CREATE INDEX IF NOT EXISTS intel_events_occurred ON intel_events (occurred_at)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (await timescaleInstalled(queryRunner)) {
      await queryRunner.query(`SELECT add_retention_policy('intel_events', drop_after => INTERVAL '7 years', if_not_exists => true)`);
    }
    await queryRunner.query(`DROP INDEX IF EXISTS intel_events_occurred`);
    await queryRunner.query(`DROP TABLE IF EXISTS erased_event_counts`);
    await queryRunner.query(`DROP TABLE IF EXISTS erased_event_ids`);
    await queryRunner.query(`ALTER TABLE intel_event_ids DROP COLUMN IF EXISTS erased_at`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_tombstones`);
    await queryRunner.query(`DROP TABLE IF EXISTS erasure_line_counts`);
    await queryRunner.query(`DROP TABLE IF EXISTS erasures`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_disposals`);
  }
}
