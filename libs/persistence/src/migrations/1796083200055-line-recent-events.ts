import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Timeline of line Y" reads the line's most recent events (issue 20, part 2). The GIN index on
 * `line_ids` finds every event of the line but cannot give them in time order: all of a line's
 * ~1,000 events were fetched (each on its own heap page) and sorted for the top 100 — and on a
 * hypertable every chunk was probed. Two indexes replace that read:
 *
 * - `intel_events_first_line_time`: a B-tree on the event's first line and its time, newest first.
 *   Nearly every event names one line, its first: the most recent 100 are one index range scan and
 *   100 heap fetches (on TimescaleDB, chunks newest first, stopping when 100 are found).
 * - `intel_events_other_lines`: a GIN on `line_ids` of the few events naming several lines (a raid
 *   on several lines), for the events where the line is not the first named.
 *
 * The read takes the newest 100 of each and merges them (`LineQueriesRepository.recentEvents`).
 * Both indexes are written with every event: their cost on intake is in docs/benchmarks.md.
 */
export class LineRecentEvents1796083200055 implements MigrationInterface {
  name = 'LineRecentEvents1796083200055';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX intel_events_first_line_time ON intel_events ((line_ids[1]), occurred_at DESC)`);
    await queryRunner.query(`CREATE INDEX intel_events_other_lines ON intel_events USING gin (line_ids) WHERE cardinality(line_ids) > 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS intel_events_other_lines`);
    await queryRunner.query(`DROP INDEX IF EXISTS intel_events_first_line_time`);
  }
}
