import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert noise (issue 18): `intel_events.history` keeps that an event came in a history import
 * (`POST /v1/events?history=true`, `linewatch replay --history`), with the event, so that the
 * record says why its changes were not pushed. `alerts.status` gains `held`: the alert of a
 * change that is not pushed (a history import, a first record already dormant or closed) —
 * recorded for the team's digest, no deliveries, no escalation, never open in an inbox.
 */
export class HistoryImports1796083200020 implements MigrationInterface {
  name = 'HistoryImports1796083200020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE intel_events ADD COLUMN history boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_status_check`);
    await queryRunner.query(
      `ALTER TABLE alerts ADD CONSTRAINT alerts_status_check
         CHECK (status IN ('raised', 'delivered', 'acknowledged', 'resolved', 'silenced', 'held'))`,
    );
    await queryRunner.query(`CREATE INDEX alerts_held ON alerts (team_id, raised_at) WHERE status = 'held'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS alerts_held`);
    await queryRunner.query(`DELETE FROM alerts WHERE status = 'held'`);
    await queryRunner.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_status_check`);
    await queryRunner.query(
      `ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('raised', 'delivered', 'acknowledged', 'resolved', 'silenced'))`,
    );
    await queryRunner.query(`ALTER TABLE intel_events DROP COLUMN IF EXISTS history`);
  }
}
