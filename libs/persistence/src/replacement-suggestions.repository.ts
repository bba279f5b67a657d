import { replacementPairKey, type LineTimeline, type NewLineRecord, type ReplacementSuggestion } from '@linewatch/domain';
import { decodeSnapshot } from './line-snapshot.codec';
import { managerOf, type Queryable } from './database';

export type SuggestionStatus = 'open' | 'accepted' | 'rejected';

export interface StoredSuggestion {
  readonly lineId: string;
  readonly replaces: string;
  readonly reasons: ReplacementSuggestion['reasons'];
  readonly status: SuggestionStatus;
  readonly suggestedAt: Date;
  readonly decidedAt: Date | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
}

/** A line the rule may read as a candidate: its brands, areas and kept timeline (its endings come from it). */
export interface CandidateSource {
  readonly lineId: string;
  readonly brands: readonly string[];
  readonly areas: readonly string[];
  readonly timeline: LineTimeline | null;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
const suggestion = (r: any): StoredSuggestion => ({
  lineId: r.line_id,
  replaces: r.replaces,
  reasons: r.reasons,
  status: r.status,
  suggestedAt: r.suggested_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  decisionReason: r.decision_reason,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Replacement suggestions (migration 0008): one row per pair (new line, line it may replace).
 * A pair is proposed once: a suggestion already there — open, accepted or rejected — is never
 * proposed again or changed by a later computation.
 */
export class ReplacementSuggestionsRepository {
  /** Stores new suggestions; returns those that were new, as stored (pairs seen before are left as they are). */
  async propose(q: Queryable, suggestions: readonly ReplacementSuggestion[]): Promise<StoredSuggestion[]> {
    if (suggestions.length === 0) return [];
    const rows: unknown[] = await managerOf(q).query(
      `INSERT INTO line_replacement_suggestions (line_id, replaces, reasons)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
       ON CONFLICT (line_id, replaces) DO NOTHING
       RETURNING *`,
      [suggestions.map((s) => s.lineId), suggestions.map((s) => s.replaces), suggestions.map((s) => JSON.stringify(s.reasons))],
    );
    return rows.map(suggestion);
  }

  /** Pairs (`replacementPairKey`) involving these lines that were rejected: never proposed again. */
  async rejectedPairs(q: Queryable, lineIds: readonly string[]): Promise<Set<string>> {
    if (lineIds.length === 0) return new Set();
    const rows: { line_id: string; replaces: string }[] = await managerOf(q).query(
      `SELECT line_id, replaces FROM line_replacement_suggestions
       WHERE status = 'rejected' AND (line_id = ANY($1::text[]) OR replaces = ANY($1::text[]))`,
      [[...lineIds]],
    );
    return new Set(rows.map((r) => replacementPairKey(r.line_id, r.replaces)));
  }

  /** Root lines that used one of these brands (compared form), with what the rule reads (which leaves a line itself out). */
  async candidatesSharingBrands(q: Queryable, brandKeys: readonly string[]): Promise<CandidateSource[]> {
    if (brandKeys.length === 0) return [];
    const rows: { line_id: string; brands: string[]; areas: string[]; snapshot: unknown }[] = await managerOf(q).query(
      `SELECT l.line_id, l.areas, l.snapshot,
              ARRAY(SELECT b.brand_key FROM line_brands b WHERE b.line_id = l.line_id ORDER BY 1) AS brands
       FROM lines l
       WHERE l.merged_into IS NULL
         AND l.line_id IN (SELECT line_id FROM line_brands WHERE brand_key = ANY($1::text[]))`,
      [[...brandKeys]],
    );
    return rows.map((r) => ({ lineId: r.line_id, brands: r.brands, areas: r.areas, timeline: decodeSnapshot(r.snapshot) }));
  }

  /**
   * Root lines that used one of these brands and whose first record (the start of their first
   * period) falls in `[from, to]`: the new lines an ending may have been followed by. The area is
   * that of the event that began the line (else its own).
   */
  async newLinesSharingBrands(q: Queryable, brandKeys: readonly string[], from: Date, to: Date): Promise<NewLineRecord[]> {
    if (brandKeys.length === 0) return [];
    const rows: { line_id: string; brands: string[]; area: string | null; first_at: Date }[] = await managerOf(q).query(
      `SELECT l.line_id, p.valid_from AS first_at, coalesce(e.area, l.area) AS area,
              ARRAY(SELECT b.brand_key FROM line_brands b WHERE b.line_id = l.line_id ORDER BY 1) AS brands
       FROM lines l
       JOIN line_state_periods p ON p.line_id = l.line_id AND p.seq = 0
       LEFT JOIN intel_events e ON e.event_id = p.cause_event_id AND e.occurred_at = p.valid_from
       WHERE l.merged_into IS NULL
         AND p.valid_from BETWEEN $2 AND $3
         AND l.line_id IN (SELECT line_id FROM line_brands WHERE brand_key = ANY($1::text[]))`,
      [[...brandKeys], from, to],
    );
    return rows
      .filter((r) => r.area !== null)
      .map((r) => ({ lineId: r.line_id, brands: r.brands, area: r.area as string, at: r.first_at }));
  }

  /** The brands (compared form) of these lines. */
  async brandsOf(q: Queryable, lineIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(lineIds.map((id) => [id, []]));
    if (lineIds.length === 0) return out;
    const rows: { line_id: string; brand_key: string }[] = await managerOf(q).query(
      `SELECT line_id, brand_key FROM line_brands WHERE line_id = ANY($1::text[]) ORDER BY line_id, brand_key`,
      [[...lineIds]],
    );
    for (const r of rows) out.get(r.line_id)?.push(r.brand_key);
    return out;
  }

  /** Suggestions by status, newest first. */
  async list(q: Queryable, filter: { status?: SuggestionStatus; lineId?: string; limit: number }): Promise<StoredSuggestion[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM line_replacement_suggestions
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR line_id = $2 OR replaces = $2)
       ORDER BY suggested_at DESC, line_id, replaces LIMIT $3`,
      [filter.status ?? null, filter.lineId ?? null, filter.limit],
    );
    return rows.map(suggestion);
  }

  /** One suggestion (the pair), whatever its status; null when the pair was never proposed. */
  async find(q: Queryable, pair: { lineId: string; replaces: string }): Promise<StoredSuggestion | null> {
    const rows: unknown[] = await managerOf(q).query(`SELECT * FROM line_replacement_suggestions WHERE line_id = $1 AND replaces = $2`, [
      pair.lineId,
      pair.replaces,
    ]);
    return rows.length === 0 ? null : suggestion(rows[0]);
  }

  /** Records an analyst's answer to an open suggestion; null when there is no open one for the pair. */
  async decide(
    q: Queryable,
    pair: { lineId: string; replaces: string },
    decision: { status: 'accepted' | 'rejected'; by: string; reason: string; at: Date },
  ): Promise<StoredSuggestion | null> {
    const rows: unknown[] = await managerOf(q).query(
      `WITH decided AS (
         UPDATE line_replacement_suggestions SET status = $3, decided_by = $4, decision_reason = $5, decided_at = $6
         WHERE line_id = $1 AND replaces = $2 AND status = 'open' RETURNING *
       )
       SELECT * FROM decided`,
      [pair.lineId, pair.replaces, decision.status, decision.by, decision.reason, decision.at],
    );
    return rows.length === 0 ? null : suggestion(rows[0]);
  }
}
