import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stable order for the alert inbox: the alerts of one batch share `raised_at` to the millisecond,
 * and tied on their random `alert_id` before. `raise_seq` numbers alerts in the order the alerter
 * inserts them (the order of their state changes on the topic, each change's teams in routing
 * order); the inbox reads by (raised_at, raise_seq). Existing alerts are numbered in table order.
 */
export class AlertOrder1796083200009 implements MigrationInterface {
  name = 'AlertOrder1796083200009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE alerts ADD COLUMN raise_seq bigint GENERATED ALWAYS AS IDENTITY`);
    await queryRunner.query(`CREATE UNIQUE INDEX alerts_raised_seq ON alerts (raised_at DESC, raise_seq DESC)`);
    await queryRunner.query(`DROP INDEX alerts_raised`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX alerts_raised ON alerts (raised_at DESC, alert_id DESC)`);
    await queryRunner.query(`DROP INDEX alerts_raised_seq`);
    await queryRunner.query(`ALTER TABLE alerts DROP COLUMN raise_seq`);
  }
}
