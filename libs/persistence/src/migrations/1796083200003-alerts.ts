import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts (issue: alerts).
 *
 * - `alerts`: one row per (state change, neighbourhood team) — `dedup_key` is unique, so a
 *   redelivered change, a restarted alerter or a rebalance cannot raise a second one. Written
 *   before the alerter commits its Kafka offsets.
 * - `alert_deliveries`: what is to be sent to whom over which channel (the delivery outbox),
 *   with its retry schedule; `alert_delivery_attempts`: every attempt and its outcome.
 * - `alert_silences`: a line or an area silenced for a planned operation, with expiry and reason.
 * - `disclosure_log`: append-only (DPA 2018 Part 3 s.62): who disclosed or consulted what, to
 *   whom, when and why. A trigger refuses UPDATE and DELETE.
 */
export class Alerts1796083200003 implements MigrationInterface {
  name = 'Alerts1796083200003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alert_silences (
        silence_id   uuid        PRIMARY KEY,
        line_id      text,
        area         text,
        starts_at    timestamptz NOT NULL,
        ends_at      timestamptz NOT NULL,
        reason       text        NOT NULL,
        created_by   text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz,
        cancelled_by text,
        CHECK ((line_id IS NULL) <> (area IS NULL)),
        CHECK (ends_at > starts_at)
      )`);
    await queryRunner.query(`
      CREATE TABLE alerts (
        alert_id           uuid        PRIMARY KEY,
        dedup_key          text        NOT NULL UNIQUE,
        change_id          uuid        NOT NULL,
        line_id            text        NOT NULL,
        team_id            text        NOT NULL,
        areas              text[]      NOT NULL,
        kind               text        NOT NULL,
        severity           text        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        status             text        NOT NULL CHECK (status IN ('raised', 'delivered', 'acknowledged', 'resolved', 'silenced')),
        level              integer     NOT NULL DEFAULT 1,
        change             jsonb       NOT NULL,
        content            jsonb       NOT NULL,
        content_version    integer     NOT NULL,
        sanitised          boolean     NOT NULL,
        silence_id         uuid        REFERENCES alert_silences (silence_id),
        raised_at          timestamptz NOT NULL,
        delivered_at       timestamptz,
        acknowledged_at    timestamptz,
        acknowledged_by    text,
        resolved_at        timestamptz,
        resolved_by        text,
        next_escalation_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX alerts_team_raised ON alerts (team_id, raised_at DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_line ON alerts (line_id, raised_at DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_escalation ON alerts (next_escalation_at) WHERE next_escalation_at IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE alert_deliveries (
        delivery_id     uuid        PRIMARY KEY,
        alert_id        uuid        NOT NULL REFERENCES alerts (alert_id),
        level           integer     NOT NULL,
        recipient_id    text        NOT NULL,
        recipient_name  text        NOT NULL,
        channel         text        NOT NULL CHECK (channel IN ('webhook', 'email')),
        address         text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        sent_at         timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (alert_id, level, recipient_id, channel)
      )`);
    await queryRunner.query(`CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE TABLE alert_delivery_attempts (
        attempt_id   bigserial   PRIMARY KEY,
        delivery_id  uuid        NOT NULL REFERENCES alert_deliveries (delivery_id),
        attempted_at timestamptz NOT NULL,
        outcome      text        NOT NULL CHECK (outcome IN ('sent', 'failed')),
        detail       text
      )`);
    await queryRunner.query(`CREATE INDEX alert_delivery_attempts_delivery ON alert_delivery_attempts (delivery_id, attempt_id)`);

    await queryRunner.query(`
      CREATE TABLE disclosure_log (
        entry_id      bigserial   PRIMARY KEY,
        at            timestamptz NOT NULL DEFAULT now(),
        actor         text        NOT NULL,
        action        text        NOT NULL CHECK (action IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure')),
        subject_type  text        NOT NULL,
        subject_id    text        NOT NULL,
        recipient     text,
        channel       text,
        justification text        NOT NULL,
        details       jsonb       NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX disclosure_log_subject ON disclosure_log (subject_type, subject_id, at)`);
    await queryRunner.query(`
      CREATE FUNCTION disclosure_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'disclosure_log is append-only (DPA 2018 s.62)';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_log_append_only BEFORE UPDATE OR DELETE ON disclosure_log
      FOR EACH ROW EXECUTE FUNCTION disclosure_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_log_no_truncate BEFORE TRUNCATE ON disclosure_log
      FOR EACH STATEMENT EXECUTE FUNCTION disclosure_log_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS disclosure_log`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS disclosure_log_append_only`);
    await queryRunner.query(`DROP TABLE IF EXISTS alert_delivery_attempts`);
    await queryRunner.query(`DROP TABLE IF EXISTS alert_deliveries`);
    await queryRunner.query(`DROP TABLE IF EXISTS alerts`);
    await queryRunner.query(`DROP TABLE IF EXISTS alert_silences`);
  }
}
