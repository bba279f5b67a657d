import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The line figures, one integer column each (the same names as the flags of `line_week_figures`).
 * The repositories keep their own list (weekly-line-counts.columns.ts): this one is the migration's and never changes.
 */
const LINE_COUNT_COLUMNS = [
  'active',
  'active_at_week_end',
  'new_line',
  'reactivated',
  'resurfaced',
  'went_dormant',
  'disrupted',
  'closed_type_1',
  'closed_type_2',
] as const;

const columns = (type: string) => LINE_COUNT_COLUMNS.map((c) => `${c} ${type} NOT NULL DEFAULT 0`).join(',\n        ');

/**
 * Line counts per area and week, kept up to date by the weekly-figures refresh (docs/exports.md).
 *
 * `line_week_figures` holds one row per line, area and week (2.6 M for 10,000 lines over five
 * years): grouping it for every export read lines × weeks rows. These two tables hold the counts
 * themselves — `area_week_line_counts` per area and week, `week_line_totals` per week with each
 * line counted once over all its areas — and the refresh adds what it writes and takes away what
 * it deletes, in the same transaction, so an export reads areas × weeks rows. Filled here from the
 * rows already there.
 */
export class WeeklyLineCounts1796083200007 implements MigrationInterface {
  name = 'WeeklyLineCounts1796083200007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE area_week_line_counts (
        week_start date NOT NULL,
        area       text NOT NULL,
        ${columns('integer')},
        PRIMARY KEY (week_start, area)
      )`);
    await queryRunner.query(`
      CREATE TABLE week_line_totals (
        week_start date PRIMARY KEY,
        ${columns('integer')}
      )`);
    // The lines in one area (the totals over configured areas when an area is no longer configured).
    await queryRunner.query(`CREATE INDEX line_week_figures_area ON line_week_figures (area, week_start)`);
    await queryRunner.query(`
      INSERT INTO area_week_line_counts (week_start, area, ${LINE_COUNT_COLUMNS.join(', ')})
      SELECT week_start, area, ${LINE_COUNT_COLUMNS.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}
      FROM line_week_figures GROUP BY week_start, area`);
    await queryRunner.query(`
      INSERT INTO week_line_totals (week_start, ${LINE_COUNT_COLUMNS.join(', ')})
      SELECT week_start, ${LINE_COUNT_COLUMNS.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}
      FROM (SELECT week_start, line_id, ${LINE_COUNT_COLUMNS.map((c) => `bool_or(${c}) AS ${c}`).join(', ')}
            FROM line_week_figures GROUP BY week_start, line_id) per_line
      GROUP BY week_start`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS line_week_figures_area`);
    await queryRunner.query(`DROP TABLE IF EXISTS week_line_totals`);
    await queryRunner.query(`DROP TABLE IF EXISTS area_week_line_counts`);
  }
}
