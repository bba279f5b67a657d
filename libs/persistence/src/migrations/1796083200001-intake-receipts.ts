import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What ingest has had acknowledged by Kafka, by eventId. The tracker stores an
 * event some time after ingest accepted it; a resend in between must still be
 * answered `duplicate`. Written after the Kafka acknowledgement, never before
 * (a receipt for an event Kafka never got would turn its resend away).
 */
export class IntakeReceipts1796083200001 implements MigrationInterface {
  name = 'IntakeReceipts1796083200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE intake_receipts (
        event_id    uuid        PRIMARY KEY,
        accepted_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS intake_receipts`);
  }
}
