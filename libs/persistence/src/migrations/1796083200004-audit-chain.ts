import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The s.62 log made tamper-evident: each entry carries `chain_seq` and `hash` =
 * sha256(previous hash | its own fields), computed by a trigger under a transaction-scoped
 * advisory lock (one writer extends the chain at a time, so the chain order is the commit order
 * of the writers, kept in `chain_seq`). Rewriting any entry, or removing one, breaks every hash
 * after it; `linewatch audit verify` and `GET /v1/audit/verify` recompute the chain. Entries
 * written before this migration are chained in entry order.
 */
export class AuditChain1796083200004 implements MigrationInterface {
  name = 'AuditChain1796083200004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE disclosure_log ADD COLUMN chain_seq bigint UNIQUE, ADD COLUMN prev_hash text, ADD COLUMN hash text`,
    );
    await queryRunner.query(`
      CREATE FUNCTION disclosure_log_entry_hash(
        prev text, entry_id bigint, at timestamptz, actor text, action text, subject_type text, subject_id text,
        recipient text, channel text, justification text, details jsonb
      ) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws('|', prev, entry_id::text,
          to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, subject_type, subject_id,
          coalesce(recipient, ''), coalesce(channel, ''), justification, details::text), 'UTF8')), 'hex')
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION disclosure_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7446062);
        SELECT chain_seq, hash INTO last_seq, last_hash FROM disclosure_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
        NEW.chain_seq := coalesce(last_seq, 0) + 1;
        NEW.prev_hash := coalesce(last_hash, 'genesis');
        NEW.hash := disclosure_log_entry_hash(NEW.prev_hash, NEW.entry_id, NEW.at, NEW.actor, NEW.action, NEW.subject_type,
          NEW.subject_id, NEW.recipient, NEW.channel, NEW.justification, NEW.details);
        RETURN NEW;
      END $$`);
    // Chain what is already there, in entry order (the append-only trigger is paused for it, in this transaction only).
    await queryRunner.query(`ALTER TABLE disclosure_log DISABLE TRIGGER disclosure_log_append_only`);
    await queryRunner.query(`
      DO $$
      DECLARE
        r record;
        prev text := 'genesis';
        seq bigint := 0;
      BEGIN
        FOR r IN SELECT * FROM disclosure_log ORDER BY entry_id LOOP
          seq := seq + 1;
          UPDATE disclosure_log SET chain_seq = seq, prev_hash = prev,
            hash = disclosure_log_entry_hash(prev, r.entry_id, r.at, r.actor, r.action, r.subject_type, r.subject_id,
                                             r.recipient, r.channel, r.justification, r.details)
          WHERE entry_id = r.entry_id
          RETURNING hash INTO prev;
        END LOOP;
      END $$`);
    await queryRunner.query(`ALTER TABLE disclosure_log ENABLE TRIGGER disclosure_log_append_only`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_log_chain BEFORE INSERT ON disclosure_log
      FOR EACH ROW EXECUTE FUNCTION disclosure_log_chain()`);
    await queryRunner.query(`CREATE INDEX disclosure_log_actor ON disclosure_log (actor, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS disclosure_log_chain ON disclosure_log`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS disclosure_log_chain`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS disclosure_log_entry_hash`);
    await queryRunner.query(`DROP INDEX IF EXISTS disclosure_log_actor`);
    await queryRunner.query(`ALTER TABLE disclosure_log DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN chain_seq`);
  }
}
