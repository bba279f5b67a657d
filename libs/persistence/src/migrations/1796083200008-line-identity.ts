import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Line identity (issue 17; PRODUCT.md, "Line identity"): numbers, handsets and brands held by
 * lines over intervals, links between lines, and replacement suggestions. Plain tables on both
 * flavours (none of them is a time series worth a hypertable: a line has few identity facts).
 *
 * - `line_identity_facts`: what each stored event (or an analyst's attachment) says about the
 *   identifiers of the line it names — the input of the domain's `lineIdentityOf`, kept so a
 *   line's identity is recomputed from its facts, not from all its events. `handling` is the
 *   event's handling code: an identifier named only by handling-C facts is not disclosable.
 * - `line_identifiers`: the intervals `[valid_from, valid_to)` (NULL = still held) over which a
 *   line (a root line: a merged line's intervals are its survivor's) held a number or handset,
 *   rewritten from the facts whenever they change. "Which line held +44… at t" is one probe of
 *   `(kind, value, valid_from DESC)` (the latest start at or before t, its end checked), "held
 *   first after t" the same index forwards, "held most recently before t" one probe of
 *   `(kind, value, valid_to DESC)`.
 * - `line_brands`: the brands a line used, in compared form (`brand_key`) and as written.
 * - `line_link_decisions`: every link decision applied (merge, unmerge, attach) with who and why;
 *   `line_aliases`: each merged line, its parent (the line it was merged into) and its root (where
 *   its id resolves, along chains), rewritten from the decisions. `lines.merged_into` marks a
 *   merged line for readers of `lines` (its periods and identifiers are its root's meanwhile).
 * - `line_replacement_suggestions`: one row per (new line, line it may replace), never deleted:
 *   a rejected pair is never proposed again.
 */
export class LineIdentity1796083200008 implements MigrationInterface {
  name = 'LineIdentity1796083200008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE line_identity_facts (
        line_id     text        NOT NULL,
        event_id    uuid        NOT NULL,
        occurred_at timestamptz NOT NULL,
        rank        smallint    NOT NULL,
        handling    text        NOT NULL CHECK (handling IN ('P', 'C')),
        attaches    jsonb       NOT NULL DEFAULT '[]',
        ends        jsonb       NOT NULL DEFAULT '[]',
        ends_open   text[]      NOT NULL DEFAULT '{}',
        brands      text[]      NOT NULL DEFAULT '{}',
        PRIMARY KEY (line_id, event_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE line_identifiers (
        line_id     text        NOT NULL,
        seq         integer     NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('msisdn', 'imei')),
        value       text        NOT NULL,
        valid_from  timestamptz NOT NULL,
        valid_to    timestamptz CHECK (valid_to >= valid_from),
        started_by  uuid        NOT NULL,
        ended_by    uuid,
        disclosable boolean     NOT NULL,
        PRIMARY KEY (line_id, seq)
      )`);
    await queryRunner.query(`CREATE INDEX line_identifiers_held ON line_identifiers (kind, value, valid_from DESC)`);
    await queryRunner.query(
      `CREATE INDEX line_identifiers_ended ON line_identifiers (kind, value, valid_to DESC) WHERE valid_to IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE line_brands (
        line_id       text        NOT NULL,
        brand_key     text        NOT NULL,
        written_as    text[]      NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at  timestamptz NOT NULL,
        disclosable   boolean     NOT NULL,
        PRIMARY KEY (line_id, brand_key)
      )`);
    await queryRunner.query(`CREATE INDEX line_brands_key ON line_brands (brand_key)`);

    await queryRunner.query(`
      CREATE TABLE line_link_decisions (
        event_id         uuid        PRIMARY KEY,
        type             text        NOT NULL CHECK (type IN ('line.merged', 'line.unmerged', 'line.identifier_attached')),
        line_id          text        NOT NULL,
        into_line_id     text,
        merge_event_id   uuid,
        identifier_kind  text        CHECK (identifier_kind IN ('msisdn', 'imei')),
        identifier_value text,
        occurred_at      timestamptz NOT NULL,
        area             text        NOT NULL,
        decided_by       text        NOT NULL,
        justification    text        NOT NULL,
        payload          jsonb       NOT NULL,
        applied_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX line_link_decisions_line ON line_link_decisions (line_id)`);
    await queryRunner.query(`CREATE INDEX line_link_decisions_into ON line_link_decisions (into_line_id) WHERE into_line_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE line_aliases (
        alias_id       text        PRIMARY KEY,
        parent_id      text        NOT NULL,
        root_id        text        NOT NULL,
        merge_event_id uuid        NOT NULL,
        merged_at      timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX line_aliases_root ON line_aliases (root_id)`);
    await queryRunner.query(`ALTER TABLE lines ADD COLUMN merged_into text`);

    await queryRunner.query(`
      CREATE TABLE line_replacement_suggestions (
        line_id         text        NOT NULL,
        replaces        text        NOT NULL,
        reasons         jsonb       NOT NULL,
        status          text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
        suggested_at    timestamptz NOT NULL DEFAULT now(),
        decided_at      timestamptz,
        decided_by      text,
        decision_reason text,
        PRIMARY KEY (line_id, replaces),
        CHECK (line_id <> replaces)
      )`);
    await queryRunner.query(
      `CREATE INDEX line_replacement_suggestions_open ON line_replacement_suggestions (suggested_at DESC) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX line_replacement_suggestions_replaces ON line_replacement_suggestions (replaces)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS line_replacement_suggestions`);
    await queryRunner.query(`ALTER TABLE lines DROP COLUMN IF EXISTS merged_into`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_aliases`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_link_decisions`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_brands`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_identifiers`);
    await queryRunner.query(`DROP TABLE IF EXISTS line_identity_facts`);
  }
}
