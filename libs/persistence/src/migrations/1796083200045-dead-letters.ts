import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters waiting (issue 18, the admins' home figure and `GET /v1/dead-letters`). Dead letters
 * live on the Kafka topic `intel.events.dlq.v1`; the api reads no topic, so:
 *
 * - `dead_letters`: a mirror of the topic's messages, written by the tracker's consumer of the topic
 *   (idempotent by topic, partition and offset). Only what an admin needs to act: the reason, where
 *   the message came from, its eventId when one could be read — never the message's content, which
 *   stays on the topic (`linewatch dlq show`).
 * - `dead_letter_redrives`: what `linewatch dlq retry` re-drove, when and by whom (the command
 *   writes it after publishing). A dead letter is waiting while it has no re-drive.
 *
 * Plain tables: the same on TimescaleDB and plain PostgreSQL.
 */
export class DeadLetters1796083200045 implements MigrationInterface {
  name = 'DeadLetters1796083200045';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        topic            text        NOT NULL,
        kafka_partition  integer     NOT NULL,
        kafka_offset     bigint      NOT NULL,
        code             text        NOT NULL,
        reason           text        NOT NULL,
        source_topic     text,
        source_partition integer,
        source_offset    bigint,
        event_id         text,
        retried_from     text,
        failed_at        timestamptz,
        mirrored_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, kafka_partition, kafka_offset)
      )`);
    await queryRunner.query(`
      CREATE TABLE dead_letter_redrives (
        topic           text        NOT NULL,
        kafka_partition integer     NOT NULL,
        kafka_offset    bigint      NOT NULL,
        event_id        text,
        redriven_at     timestamptz NOT NULL,
        redriven_by     text        NOT NULL,
        PRIMARY KEY (topic, kafka_partition, kafka_offset)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS dead_letter_redrives`);
    await queryRunner.query(`DROP TABLE IF EXISTS dead_letters`);
  }
}
