import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether TimescaleDB is installed here: checked by the migration itself, so it never changes with the code. */
async function timescaleInstalled(queryRunner: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0;
}

/** Event types the weekly event counts read (the rest never reach the aggregate). */
const COUNTED = `('enforcement.raid', 'enforcement.arrest', 'enforcement.seizure', 'safeguarding.referral')`;
const COUNT_COLUMNS = `
  count(*) FILTER (WHERE type = 'enforcement.raid')::integer AS raids,
  count(*) FILTER (WHERE type = 'enforcement.arrest')::integer AS arrests,
  count(*) FILTER (WHERE type = 'enforcement.seizure')::integer AS seizures,
  count(*) FILTER (WHERE type = 'safeguarding.referral')::integer AS referrals,
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->>'subject' = 'child')::integer AS referrals_children,
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->>'subject' = 'adult')::integer AS referrals_adults,
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["criminal"]')::integer AS referrals_criminal,
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["sexual"]')::integer AS referrals_sexual,
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["cuckooing"]')::integer AS referrals_cuckooing`;

/**
 * Weekly trend figures (issue: weekly trend exports; docs/exports.md).
 *
 * Event counts per area and ISO week (Monday 00:00 Europe/London):
 * - TimescaleDB: `weekly_event_counts` is a real-time continuous aggregate on the `intel_events`
 *   hypertable (created WITH NO DATA; the app refreshes the weeks it exports — late events
 *   invalidate their bucket, the refresh re-materialises it; the embedded database has no
 *   background workers, so no refresh policy is relied on).
 * - plain PostgreSQL: `weekly_event_counts` is a table, and a statement trigger on `intel_events`
 *   records each week that received events in `weekly_event_invalidations`; the app re-counts
 *   invalidated weeks before it reads them (the same contract as the aggregate's refresh).
 *
 * Line figures: `line_state_periods` is a plain table rewritten on late events and rebuilds, so
 * no continuous aggregate can sit on it. `line_week_figures` holds what each line contributed to
 * each area and week (flags); `line_week_refresh` lists the lines whose rows are due again —
 * marked by triggers whenever a line's periods are written or its area changes (the tracker's
 * write path, the sweep and `linewatch rebuild` all go through them), and by the app for active
 * lines when a new week starts. The export use case brings due lines up to date before reading.
 */
export class WeeklyFigures1796083200006 implements MigrationInterface {
  name = 'WeeklyFigures1796083200006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE line_week_figures (
        line_id            text    NOT NULL,
        area               text    NOT NULL,
        week_start         date    NOT NULL,
        active             boolean NOT NULL,
        active_at_week_end boolean NOT NULL,
        new_line           boolean NOT NULL,
        reactivated        boolean NOT NULL,
        resurfaced         boolean NOT NULL,
        went_dormant       boolean NOT NULL,
        disrupted          boolean NOT NULL,
        closed_type_1      boolean NOT NULL,
        closed_type_2      boolean NOT NULL,
        PRIMARY KEY (line_id, week_start, area)
      )`);
    await queryRunner.query(`CREATE INDEX line_week_figures_week ON line_week_figures (week_start, area)`);

    await queryRunner.query(`
      CREATE TABLE line_week_refresh (
        line_id text        PRIMARY KEY,
        due_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX line_week_refresh_due ON line_week_refresh (due_at)`);
    // Lines already there are due at once.
    await queryRunner.query(`INSERT INTO line_week_refresh (line_id, due_at) SELECT line_id, '-infinity' FROM lines`);

    // DO UPDATE (not DO NOTHING) takes the row lock: a refresh that claimed the line (FOR UPDATE
    // SKIP LOCKED) either skips it while this transaction is open, or this transaction waits for
    // the refresh and marks the line due again after it — a mark is never lost.
    await queryRunner.query(`
      CREATE FUNCTION line_week_mark_periods() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO line_week_refresh (line_id, due_at)
        SELECT DISTINCT line_id, '-infinity'::timestamptz FROM changed_periods ORDER BY 1
        ON CONFLICT (line_id) DO UPDATE SET due_at = '-infinity';
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER line_state_periods_inserted_mark_weeks AFTER INSERT ON line_state_periods
      REFERENCING NEW TABLE AS changed_periods FOR EACH STATEMENT EXECUTE FUNCTION line_week_mark_periods()`);
    await queryRunner.query(`
      CREATE TRIGGER line_state_periods_deleted_mark_weeks AFTER DELETE ON line_state_periods
      REFERENCING OLD TABLE AS changed_periods FOR EACH STATEMENT EXECUTE FUNCTION line_week_mark_periods()`);
    // A sighting in another area changes where the line is counted without changing its periods.
    await queryRunner.query(`
      CREATE FUNCTION line_week_mark_line() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO line_week_refresh (line_id, due_at) VALUES (NEW.line_id, '-infinity')
        ON CONFLICT (line_id) DO UPDATE SET due_at = '-infinity';
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER lines_area_changed_mark_weeks AFTER UPDATE OF area ON lines
      FOR EACH ROW WHEN (OLD.area IS DISTINCT FROM NEW.area) EXECUTE FUNCTION line_week_mark_line()`);

    if (await timescaleInstalled(queryRunner)) {
      await queryRunner.query(`
        CREATE MATERIALIZED VIEW weekly_event_counts
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT area, time_bucket(INTERVAL '1 week', occurred_at, 'Europe/London') AS week_start, ${COUNT_COLUMNS}
        FROM intel_events
        WHERE type IN ${COUNTED}
        GROUP BY area, time_bucket(INTERVAL '1 week', occurred_at, 'Europe/London')
        WITH NO DATA`);
    } else {
      await queryRunner.query(`
        CREATE TABLE weekly_event_counts (
          area                text        NOT NULL,
          week_start          timestamptz NOT NULL,
          raids               integer     NOT NULL,
          arrests             integer     NOT NULL,
          seizures            integer     NOT NULL,
          referrals           integer     NOT NULL,
          referrals_children  integer     NOT NULL,
          referrals_adults    integer     NOT NULL,
          referrals_criminal  integer     NOT NULL,
          referrals_sexual    integer     NOT NULL,
          referrals_cuckooing integer     NOT NULL,
          PRIMARY KEY (week_start, area)
        )`);
      // Append-only (no key to conflict on): concurrent tracker transactions never wait on each
      // other here, and a refresh deletes only the marks it saw — one made by a transaction not yet
      // committed survives it, and its week is counted again next time.
      await queryRunner.query(`
        CREATE TABLE weekly_event_invalidations (
          seq        bigserial   PRIMARY KEY,
          week_start timestamptz NOT NULL
        )`);
      await queryRunner.query(`CREATE INDEX weekly_event_invalidations_week ON weekly_event_invalidations (week_start)`);
      await queryRunner.query(`
        CREATE FUNCTION weekly_event_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO weekly_event_invalidations (week_start)
          SELECT DISTINCT date_trunc('week', occurred_at, 'Europe/London') FROM changed_events
          WHERE type IN ${COUNTED};
          RETURN NULL;
        END $$`);
      await queryRunner.query(`
        CREATE TRIGGER intel_events_inserted_invalidate_weeks AFTER INSERT ON intel_events
        REFERENCING NEW TABLE AS changed_events FOR EACH STATEMENT EXECUTE FUNCTION weekly_event_invalidate()`);
      await queryRunner.query(`
        CREATE TRIGGER intel_events_deleted_invalidate_weeks AFTER DELETE ON intel_events
        REFERENCING OLD TABLE AS changed_events FOR EACH STATEMENT EXECUTE FUNCTION weekly_event_invalidate()`);
      await queryRunner.query(`
        INSERT INTO weekly_event_invalidations (week_start)
        SELECT DISTINCT date_trunc('week', occurred_at, 'Europe/London') FROM intel_events WHERE type IN ${COUNTED}`);
    }

    // The weekly job: one row per job, the last week it completed and who holds it (a lease).
    await queryRunner.query(`
      CREATE TABLE export_schedule_runs (
        job             text        PRIMARY KEY,
        last_week_start date,
        last_run_at     timestamptz,
        holder          text,
        lease_until     timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS export_schedule_runs`);
    if (await timescaleInstalled(queryRunner)) {
      await queryRunner.query(`DROP MATERIALIZED VIEW IF EXISTS weekly_event_counts`);
    } else {
      await queryRunner.query(`DROP TRIGGER IF EXISTS intel_events_inserted_invalidate_weeks ON intel_events`);
      await queryRunner.query(`DROP TRIGGER IF EXISTS intel_events_deleted_invalidate_weeks ON intel_events`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS weekly_event_invalidate()`);
      await queryRunner.query(`DROP TABLE IF EXISTS weekly_event_invalidations`);
      await queryRunner.query(`DROP TABLE IF EXISTS weekly_event_counts`);
    }
    await queryRunner.query(`DROP TRIGGER IF EXISTS lines_area_changed_mark_weeks ON lines`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS line_state_periods_inserted_mark_weeks ON line_state_periods`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS line_state_periods_deleted_mark_weeks ON line_state_periods`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS line_week_mark_line()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS line_week_mark_periods()`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_week_refresh`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_week_figures`);
  }
}
