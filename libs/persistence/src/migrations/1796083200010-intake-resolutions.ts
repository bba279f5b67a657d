import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake by identifier (issue 17): each receipt keeps the lines its event went to and how they were
 * resolved (`[{ lineId, how, conflictWith? }]`, as in the published event), so a resend answers
 * `duplicate` naming the same line, and `GET /v1/events/{id}` says where an event stands before the
 * tracker has stored it. NULL for receipts written before this migration.
 */
export class IntakeResolutions1796083200010 implements MigrationInterface {
  name = 'IntakeResolutions1796083200010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE intake_receipts ADD COLUMN lines jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE intake_receipts DROP COLUMN IF EXISTS lines`);
  }
}
