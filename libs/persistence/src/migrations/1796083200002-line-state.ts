import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether TimescaleDB is installed here: checked by the migration itself, so it never changes with the code. */
async function timescaleInstalled(queryRunner: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0;
}

/**
 * Line state (issue: line tracker).
 *
 * - `lines`: one row per line — its current state (what people were last told), the tracker's
 *   kept decider state (`snapshot`: the timeline without old evidence, see the domain's
 *   `compactTimeline`; null until first computed), and `next_check_at`, when the dormancy sweep must look at it. Row locks
 *   on it serialise every change of one line (batches, sweep, rebuild), across instances.
 * - `line_state_periods`: each line's timeline, one row per period `[valid_from, valid_to)`;
 *   rewritten for a line whenever its timeline changes (a late report rewrites history).
 * - `line_state_changes_outbox`: changes of the current state, written in the same transaction
 *   as the state, published by the relay to `topic` (at least once, in `seq` order).
 * - `outbox_relay_leases`: which tracker instance relays (one at a time, by lease).
 *
 * And on raw events (TimescaleDB only): columnstore after 30 days, retention 7 years.
 * Plain PostgreSQL gets the same tables and indexes without the policies.
 */
export class LineState1796083200002 implements MigrationInterface {
  name = 'LineState1796083200002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lines (
        line_id                text        PRIMARY KEY,
        state                  text        CHECK (state IN ('active', 'dormant', 'disrupted', 'closed')),
        state_since            timestamptz,
        area                   text,
        areas                  text[]      NOT NULL DEFAULT '{}',
        last_sighting_at       timestamptz,
        latest_event_at        timestamptz,
        dormancy_override_days integer,
        referrals              integer     NOT NULL DEFAULT 0,
        next_check_at          timestamptz,
        snapshot               jsonb,
        version                bigint      NOT NULL DEFAULT 0,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    // "Lines in area X now": by every area a line has evidence in, and by its own area and state.
    await queryRunner.query(`CREATE INDEX lines_areas ON lines USING gin (areas)`);
    await queryRunner.query(`CREATE INDEX lines_area_state ON lines (area, state)`);
    await queryRunner.query(`CREATE INDEX lines_next_check ON lines (next_check_at) WHERE next_check_at IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE line_state_periods (
        line_id        text        NOT NULL REFERENCES lines (line_id) ON DELETE CASCADE,
        seq            integer     NOT NULL,
        state          text        NOT NULL CHECK (state IN ('active', 'dormant', 'disrupted', 'closed')),
        valid_from     timestamptz NOT NULL,
        valid_to       timestamptz,
        transition     text        NOT NULL,
        cause_event_id uuid,
        closure_type   smallint    CHECK (closure_type IN (1, 2)),
        PRIMARY KEY (line_id, seq)
      )`);
    // "Timeline of line Y" is the primary key; weekly figures read periods by time.
    await queryRunner.query(`CREATE INDEX line_state_periods_time ON line_state_periods (valid_from, valid_to)`);

    await queryRunner.query(`
      CREATE TABLE line_state_changes_outbox (
        seq          bigserial   PRIMARY KEY,
        change_id    uuid        NOT NULL UNIQUE,
        topic        text        NOT NULL,
        line_id      text        NOT NULL,
        payload      jsonb       NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX line_state_changes_outbox_pending ON line_state_changes_outbox (topic, seq) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX line_state_changes_outbox_line ON line_state_changes_outbox (line_id, seq)`);

    await queryRunner.query(`
      CREATE TABLE outbox_relay_leases (
        name       text        PRIMARY KEY,
        holder     text        NOT NULL,
        expires_at timestamptz NOT NULL
      )`);

    if (await timescaleInstalled(queryRunner)) {
      // Raw events older than 30 days are rarely written (late reports still can be: the
      // columnstore takes inserts) and read by line or area: compress them, segmented by area.
      await queryRunner.query(`
        ALTER TABLE intel_events SET (
          timescaledb.enable_columnstore = true,
          timescaledb.segmentby = 'area',
          timescaledb.orderby = 'occurred_at DESC'
        )`);
      await queryRunner.query(`CALL add_columnstore_policy('intel_events', after => INTERVAL '30 days')`);
      // MoPI: raw events are kept under a retention policy (7 years by default; a deployment with
      // another review period changes it with remove_retention_policy/add_retention_policy).
      await queryRunner.query(`SELECT add_retention_policy('intel_events', drop_after => INTERVAL '7 years')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (await timescaleInstalled(queryRunner)) {
      await queryRunner.query(`SELECT remove_retention_policy('intel_events', if_exists => true)`);
      await queryRunner.query(`CALL remove_columnstore_policy('intel_events', if_exists => true)`);
    }
    await queryRunner.query(`DROP TABLE IF EXISTS outbox_relay_leases`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_state_changes_outbox`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_state_periods`);
    await queryRunner.query(`DROP TABLE IF EXISTS lines`);
  }
}
