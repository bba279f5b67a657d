import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether TimescaleDB is installed here: checked by the migration itself, so it never changes with the code. */
async function timescaleInstalled(queryRunner: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length > 0;
}

/**
 * Raw intelligence events. Committed migrations are never rewritten: change
 * the schema with a new one.
 *
 * TimescaleDB wants the time column in every unique key of a hypertable, so
 * the idempotency key lives in its own plain table, `intel_event_ids`
 * (event_id primary key): the database is the final arbiter of "seen
 * before", however far apart the two copies arrive. `intel_events` is the
 * hypertable keyed (event_id, occurred_at). Without the extension the same
 * tables are plain PostgreSQL tables.
 */
export class IntelEvents1796083200000 implements MigrationInterface {
  name = 'IntelEvents1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const available = await queryRunner.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
    if (available.length > 0) await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS timescaledb`);

    await queryRunner.query(`
      CREATE TABLE intel_event_ids (
        event_id      uuid        PRIMARY KEY,
        occurred_at   timestamptz NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE intel_events (
        event_id        uuid        NOT NULL,
        occurred_at     timestamptz NOT NULL,
        reported_at     timestamptz,
        received_at     timestamptz NOT NULL DEFAULT now(),
        type            text        NOT NULL,
        area            text        NOT NULL,
        line_ids        text[]      NOT NULL,
        grading         jsonb       NOT NULL,
        source          jsonb       NOT NULL,
        payload         jsonb       NOT NULL,
        kafka_partition integer,
        kafka_offset    bigint,
        PRIMARY KEY (event_id, occurred_at)
      )`);
    await queryRunner.query(`CREATE INDEX intel_events_area_time ON intel_events (area, occurred_at DESC)`);
    await queryRunner.query(`CREATE INDEX intel_events_line_ids ON intel_events USING gin (line_ids)`);
    if (await timescaleInstalled(queryRunner)) {
      await queryRunner.query(`SELECT create_hypertable('intel_events', by_range('occurred_at', INTERVAL '7 days'))`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS intel_events`);
    await queryRunner.query(`DROP TABLE IF EXISTS intel_event_ids`);
  }
}
