import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team digests (issue 18, PRODUCT.md "Team digest"): exactly one per team and period across
 * alerter replicas and restarts, as the weekly export does it — a lease and a record.
 *
 * - `team_digest_runs`: one row per team: the end of the last period it completed, and a lease so
 *   that of several replicas one builds and sends it.
 * - `team_digests`: each digest as built (its body frozen, so a retry after a crash sends the same
 *   one), with the recipients and channels it went to; one per team and period.
 * - an index on `line_state_changes_outbox (created_at)`: a digest reads the changes recorded in
 *   its period, and the outbox keeps every change.
 */
export class TeamDigests1796083200025 implements MigrationInterface {
  name = 'TeamDigests1796083200025';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE team_digest_runs (
        team_id         text        PRIMARY KEY,
        last_period_end timestamptz,
        last_digest_id  uuid,
        holder          text,
        lease_until     timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE team_digests (
        digest_id    uuid        PRIMARY KEY,
        team_id      text        NOT NULL,
        period_from  timestamptz NOT NULL,
        period_end   timestamptz NOT NULL,
        body         jsonb       NOT NULL,
        sent_to      text[]      NOT NULL DEFAULT '{}',
        attempts     integer     NOT NULL DEFAULT 0,
        created_at   timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        UNIQUE (team_id, period_end)
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS line_state_changes_outbox_created ON line_state_changes_outbox (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS line_state_changes_outbox_created`);
    await queryRunner.query(`DROP TABLE IF EXISTS team_digests`);
    await queryRunner.query(`DROP TABLE IF EXISTS team_digest_runs`);
  }
}
