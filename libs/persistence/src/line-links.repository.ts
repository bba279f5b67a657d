import type { LineLinkV1 } from '@linewatch/contracts';
import { linkDecisionOf, rootOf, type LinkDecision, type LinkState } from '@linewatch/domain';
import { rootsOf } from './line-identity.repository';
import { managerOf, type Queryable, type Tx } from './database';

/** A link decision as recorded, with who took it and why (what the s.62 combination entry names). */
export interface RecordedLinkDecision {
  readonly decision: LinkDecision;
  readonly decidedBy: string;
  readonly justification: string;
  readonly appliedAt: Date;
}

export interface AliasRow {
  readonly aliasId: string;
  readonly parentId: string;
  readonly rootId: string;
  readonly mergeEventId: string;
  readonly mergedAt: Date;
}

/** Keys of the advisory lock that serialises link decisions against the batches reading aliases. */
const LINKS_LOCK = `hashtext('line_links')`;

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
const decisionOf = (r: any): LinkDecision => {
  const base = { eventId: r.event_id, at: r.occurred_at, lineId: r.line_id };
  switch (r.type) {
    case 'line.merged':
      return { ...base, type: 'merge', into: r.into_line_id };
    case 'line.unmerged':
      return { ...base, type: 'unmerge', mergeEventId: r.merge_event_id };
    default:
      return { ...base, type: 'attach', identifier: { kind: r.identifier_kind, value: r.identifier_value } };
  }
};
export const recordedDecisionOf = (r: any): RecordedLinkDecision => ({
  decision: decisionOf(r),
  decidedBy: r.decided_by,
  justification: r.justification,
  appliedAt: r.applied_at,
});
export const aliasOf = (r: any): AliasRow => ({
  aliasId: r.alias_id,
  parentId: r.parent_id,
  rootId: r.root_id,
  mergeEventId: r.merge_event_id,
  mergedAt: r.merged_at,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The aliases whose root is the line bound at `rootParam` (unordered). For this library only. */
export const ALIASES_OF_ROOT = (rootParam: string) =>
  `SELECT alias_id, parent_id, root_id, merge_event_id, merged_at FROM line_aliases WHERE root_id = ${rootParam}`;

/**
 * The decisions naming the lines of the text array `ids` (as the line decided about, or as the
 * line merged into), and the unmerges of those merges (an unmerge names the merged line only);
 * unordered. For this library only.
 */
export const DECISIONS_CONCERNING = (ids: string) =>
  `WITH named AS (
     SELECT * FROM line_link_decisions WHERE line_id = ANY(${ids})
     UNION
     SELECT * FROM line_link_decisions WHERE into_line_id = ANY(${ids}))
   SELECT * FROM named
   UNION
   SELECT d.* FROM line_link_decisions d JOIN named m ON d.merge_event_id = m.event_id`;

/**
 * Links between lines (migration 0008): the decisions applied, and the aliases they leave (each
 * merged line → the line it was merged into, and its root). Runs in the caller's Queryable.
 *
 * Concurrency: a transaction applying a decision takes `lockForDecision` (exclusive); one that
 * resolves ids through aliases and then writes lines takes `lockForReading` (shared) first, so
 * no decision commits between its alias read and its commit.
 */
export class LineLinksRepository {
  async lockForDecision(q: Tx): Promise<void> {
    await managerOf(q).query(`SELECT pg_advisory_xact_lock(${LINKS_LOCK})`);
  }

  async lockForReading(q: Tx): Promise<void> {
    await managerOf(q).query(`SELECT pg_advisory_xact_lock_shared(${LINKS_LOCK})`);
  }

  /** Every decision applied, with who took it and why. */
  async decisions(q: Queryable): Promise<RecordedLinkDecision[]> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await managerOf(q).query(`SELECT * FROM line_link_decisions ORDER BY occurred_at, event_id`);
    return rows.map(recordedDecisionOf);
  }

  /** The attachments applied to these lines, as published (their identity facts are re-derived by a rebuild). */
  async attachmentsOf(q: Queryable, lineIds: readonly string[]): Promise<LineLinkV1[]> {
    if (lineIds.length === 0) return [];
    const rows: { payload: LineLinkV1 }[] = await managerOf(q).query(
      `SELECT payload FROM line_link_decisions WHERE type = 'line.identifier_attached' AND line_id = ANY($1::text[])`,
      [[...lineIds]],
    );
    return rows.map((r) => r.payload);
  }

  /** Which of these decisions were applied before (a redelivery changes nothing). */
  async recorded(q: Queryable, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: { event_id: string }[] = await managerOf(q).query(
      `SELECT event_id FROM line_link_decisions WHERE event_id = ANY($1::uuid[])`,
      [[...eventIds]],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /** Records one applied decision (idempotent on its eventId). */
  async record(q: Queryable, event: LineLinkV1): Promise<void> {
    const decision = linkDecisionOf(event);
    await managerOf(q).query(
      `INSERT INTO line_link_decisions
         (event_id, type, line_id, into_line_id, merge_event_id, identifier_kind, identifier_value, occurred_at, area, decided_by, justification, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        event.eventId,
        event.type,
        event.lineId,
        decision.type === 'merge' ? decision.into : null,
        decision.type === 'unmerge' ? decision.mergeEventId : null,
        decision.type === 'attach' ? decision.identifier.kind : null,
        decision.type === 'attach' ? decision.identifier.value : null,
        event.occurredAt,
        event.area,
        event.body.decidedBy,
        event.body.justification,
        JSON.stringify(event),
      ],
    );
  }

  /**
   * Rewrites the aliases from a link state (every merge not undone: its line, parent and root) and
   * marks `lines.merged_into` alike (the row is created for a line never seen before). Returns the
   * aliases before and after, for the caller to know which lines moved.
   */
  async replaceAliases(q: Tx, state: LinkState): Promise<{ before: AliasRow[]; after: AliasRow[] }> {
    const before = await this.aliases(q);
    const merges = state.merges.filter((m) => m.unmergedBy === null);
    await managerOf(q).query(`DELETE FROM line_aliases`);
    if (merges.length > 0) {
      await managerOf(q).query(
        `INSERT INTO line_aliases (alias_id, parent_id, root_id, merge_event_id, merged_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[])`,
        [
          merges.map((m) => m.lineId),
          merges.map((m) => m.into),
          merges.map((m) => rootOf(state, m.lineId)),
          merges.map((m) => m.eventId),
          merges.map((m) => m.at),
        ],
      );
    }
    const aliasIds = merges.map((m) => m.lineId);
    await managerOf(q).query(`INSERT INTO lines (line_id) SELECT * FROM unnest($1::text[]) ORDER BY 1 ON CONFLICT (line_id) DO NOTHING`, [
      aliasIds,
    ]);
    await managerOf(q).query(
      `UPDATE lines l SET merged_into = a.root_id FROM line_aliases a
       WHERE a.alias_id = l.line_id AND l.merged_into IS DISTINCT FROM a.root_id`,
    );
    await managerOf(q).query(`UPDATE lines SET merged_into = NULL WHERE merged_into IS NOT NULL AND NOT (line_id = ANY($1::text[]))`, [
      aliasIds,
    ]);
    return { before, after: await this.aliases(q) };
  }

  /**
   * Lines that became aliases: their periods (and so their weekly rows) go — their events are
   * their root's now — and the sweep stops looking at them. What people were last told (state,
   * state since) stays, so an unmerge that restores the line tells nobody anything new.
   */
  async retire(q: Tx, lineIds: readonly string[]): Promise<void> {
    if (lineIds.length === 0) return;
    await managerOf(q).query(`DELETE FROM line_state_periods WHERE line_id = ANY($1::text[])`, [[...lineIds]]);
    await managerOf(q).query(`UPDATE lines SET next_check_at = NULL, snapshot = NULL, updated_at = now() WHERE line_id = ANY($1::text[])`, [
      [...lineIds],
    ]);
  }

  async aliases(q: Queryable): Promise<AliasRow[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT alias_id, parent_id, root_id, merge_event_id, merged_at FROM line_aliases ORDER BY alias_id`,
    );
    return rows.map(aliasOf);
  }

  /** Each id's root (the line it resolves to through merges; itself when it is no alias). */
  async resolve(q: Queryable, lineIds: readonly string[]): Promise<Map<string, string>> {
    return rootsOf(q, lineIds);
  }

  /** Each root with its members: itself and every alias resolving to it (sorted). */
  async membersOf(q: Queryable, roots: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(roots.map((root) => [root, [root]]));
    if (roots.length === 0) return out;
    const rows: { alias_id: string; root_id: string }[] = await managerOf(q).query(
      `SELECT alias_id, root_id FROM line_aliases WHERE root_id = ANY($1::text[]) ORDER BY alias_id`,
      [[...new Set(roots)]],
    );
    for (const r of rows) out.get(r.root_id)?.push(r.alias_id);
    return out;
  }
}
