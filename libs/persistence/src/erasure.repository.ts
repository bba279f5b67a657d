import { managerOf, type Queryable, type Tx } from './database';
import { eventsOfLinesHalves } from './events-of-line.sql';

export type DisposalStatus = 'held' | 'cancelled' | 'erasing' | 'erased';

/** A `dispose` decision and its hold (`line_disposals`). */
export interface DisposalHold {
  readonly reviewId: string;
  readonly lineId: string;
  readonly decidedAt: Date;
  readonly decidedBy: string;
  /** When the hold ends and the line is erased (the first erasure job run at or after it). */
  readonly eraseAfter: Date;
  readonly status: DisposalStatus;
  readonly cancelledAt: Date | null;
  readonly cancelledBy: string | null;
  readonly cancelReason: string | null;
}

export type ErasureKind = 'disposal' | 'retention';

/** What an erasure has erased so far (each committed batch adds to it). */
export interface ErasureCounts {
  /** Raw events deleted (their ids kept as tombstones). */
  readonly events: number;
  /** Events naming other lines too: kept for those, this line taken out of their line list. */
  readonly eventsUnlinked: number;
  readonly identityFacts: number;
  readonly stateChanges: number;
  readonly alerts: number;
  readonly deliveries: number;
  readonly identifiers: number;
  readonly periods: number;
}

export interface Erasure {
  readonly erasureId: string;
  readonly kind: ErasureKind;
  /** Disposal: the line erased; null for a retention run. */
  readonly lineId: string | null;
  readonly reviewId: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  readonly legalBasis: string;
  /** Retention: events that occurred before this instant go. */
  readonly cutoff: Date | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly counts: ErasureCounts;
}

/** What stays of an erased line. No content. */
export interface LineTombstone {
  readonly lineId: string;
  readonly erasureId: string;
  readonly erasedAt: Date;
  readonly reviewId: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  readonly legalBasis: string;
  readonly events: number;
  readonly alerts: number;
  readonly identifiers: number;
  /** The ids of its erased events (their idempotency rows, kept). */
  readonly eventIds: string[];
}

/** What a retention run would erase (`linewatch retention --dry-run`): counts only. */
export interface RetentionPreview {
  readonly cutoff: Date;
  readonly events: number;
  readonly byArea: { readonly area: string; readonly events: number }[];
  readonly byLine: { readonly lineId: string; readonly events: number }[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
export const holdOf = (r: any): DisposalHold => ({
  reviewId: r.review_id,
  lineId: r.line_id,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  eraseAfter: r.erase_after,
  status: r.status,
  cancelledAt: r.cancelled_at,
  cancelledBy: r.cancelled_by,
  cancelReason: r.cancel_reason,
});

const erasureOf = (r: any): Erasure => ({
  erasureId: r.erasure_id,
  kind: r.kind,
  lineId: r.line_id,
  reviewId: r.review_id,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  legalBasis: r.legal_basis,
  cutoff: r.cutoff,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  counts: {
    events: r.events,
    eventsUnlinked: r.events_unlinked,
    identityFacts: r.identity_facts,
    stateChanges: r.state_changes,
    alerts: r.alerts,
    deliveries: r.deliveries,
    identifiers: r.identifiers,
    periods: r.periods,
  },
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The weekly event figures an erased event adds to `erased_event_counts` (as the weekly refresh counts them). */
const COUNTED = `('enforcement.raid', 'enforcement.arrest', 'enforcement.seizure', 'safeguarding.referral')`;
const ERASED_COUNT_COLUMNS = [
  'raids',
  'arrests',
  'seizures',
  'referrals',
  'referrals_children',
  'referrals_adults',
  'referrals_criminal',
  'referrals_sexual',
  'referrals_cuckooing',
];
const COUNT_SELECT = `
  count(*) FILTER (WHERE type = 'enforcement.raid'),
  count(*) FILTER (WHERE type = 'enforcement.arrest'),
  count(*) FILTER (WHERE type = 'enforcement.seizure'),
  count(*) FILTER (WHERE type = 'safeguarding.referral'),
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->>'subject' = 'child'),
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->>'subject' = 'adult'),
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["criminal"]'),
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["sexual"]'),
  count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["cuckooing"]')`;

/** The ids an erased line's records are kept under: its own and those of the lines merged into it. */
const IDS_OF = `ARRAY(SELECT $1::text UNION SELECT alias_id FROM line_aliases WHERE root_id = $1)`;

/**
 * The ids `IDS_OF` names, read first and bound as a parameter wherever a statement searches a big
 * table by them: behind an `InitPlan` the planner cannot see how few rows they name (see
 * `eventsOfLinesHalves`).
 */
async function idsOf(q: Queryable, lineId: string): Promise<string[]> {
  const [row]: { ids: string[] }[] = await managerOf(q).query(`SELECT ${IDS_OF} AS ids`, [lineId]);
  return row.ids;
}

/** Events on a line whose latest review decided `retain` are kept whatever their age. */
const RETAINED = `EXISTS (
  SELECT 1 FROM line_reviews r
  WHERE r.line_id = ANY(e.line_ids) AND r.decision = 'retain'
    AND r.reviewed_at = (SELECT max(r2.reviewed_at) FROM line_reviews r2 WHERE r2.line_id = r.line_id))`;

const count = async (q: Queryable, sql: string, params: unknown[]): Promise<number> => {
  const rows: { n: number }[] = await managerOf(q).query(sql, params);
  return rows[0]?.n ?? 0;
};

/**
 * Disposal holds, erasure and retention (issue 19; docs/operations.md, "Erasure and retention").
 * Each batch method does a bounded amount of work (at most `limit` rows of its table) and adds its
 * counts to the erasure's row in the caller's transaction: commit it and the batch is done, roll
 * it back (or crash) and nothing of it happened — so a run resumed at any point ends where an
 * uninterrupted one does.
 */
export class ErasureRepository {
  // ——— Disposal holds (the api) ———

  /** Whether the line is there (not erased, not unknown). */
  async lineExists(q: Queryable, lineId: string): Promise<boolean> {
    const rows: unknown[] = await managerOf(q).query(`SELECT 1 FROM lines WHERE line_id = $1`, [lineId]);
    return rows.length > 0;
  }

  /** The line's open disposal (held, or being erased), locked. */
  async openHold(q: Tx, lineId: string): Promise<DisposalHold | null> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM line_disposals WHERE line_id = $1 AND status IN ('held', 'erasing') FOR UPDATE`,
      [lineId],
    );
    return rows.length > 0 ? holdOf(rows[0]) : null;
  }

  async startHold(q: Tx, hold: { reviewId: string; lineId: string; decidedAt: Date; decidedBy: string; eraseAfter: Date }): Promise<void> {
    await managerOf(q).query(
      `INSERT INTO line_disposals (review_id, line_id, decided_at, decided_by, erase_after, status) VALUES ($1, $2, $3, $4, $5, 'held')`,
      [hold.reviewId, hold.lineId, hold.decidedAt, hold.decidedBy, hold.eraseAfter],
    );
  }

  /** Cancels the line's held disposal; null when none is held (none, or the erasure has begun). */
  async cancelHold(q: Tx, lineId: string, by: string, reason: string, at: Date): Promise<DisposalHold | null> {
    const rows: unknown[] = await managerOf(q).query(
      `WITH done AS (
         UPDATE line_disposals SET status = 'cancelled', cancelled_at = $3, cancelled_by = $2, cancel_reason = $4
         WHERE line_id = $1 AND status = 'held' RETURNING *)
       SELECT * FROM done`,
      [lineId, by, at, reason],
    );
    return rows.length > 0 ? holdOf(rows[0]) : null;
  }

  /** The open holds of these lines, by line. */
  async holdsOf(q: Queryable, lineIds: readonly string[]): Promise<Map<string, DisposalHold>> {
    if (lineIds.length === 0) return new Map();
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM line_disposals WHERE line_id = ANY($1::text[]) AND status IN ('held', 'erasing')`,
      [[...lineIds]],
    );
    return new Map(rows.map(holdOf).map((h) => [h.lineId, h]));
  }

  /** The tombstones of a line id (newest first), with the ids of its erased events. */
  async tombstonesOf(q: Queryable, lineId: string): Promise<LineTombstone[]> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await managerOf(q).query(`SELECT * FROM line_tombstones WHERE line_id = $1 ORDER BY erased_at DESC`, [lineId]);
    const out: LineTombstone[] = [];
    for (const r of rows) {
      const ids: { event_id: string }[] = await managerOf(q).query(
        `SELECT event_id FROM erased_event_ids WHERE erasure_id = $1 ORDER BY event_id`,
        [r.erasure_id],
      );
      out.push({
        lineId: r.line_id,
        erasureId: r.erasure_id,
        erasedAt: r.erased_at,
        reviewId: r.review_id,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
        legalBasis: r.legal_basis,
        events: r.events,
        alerts: r.alerts,
        identifiers: r.identifiers,
        eventIds: ids.map((i) => i.event_id),
      });
    }
    return out;
  }

  // ——— The erasure job (the tracker, `linewatch erasure run`) ———

  /** Held disposals whose hold has ended by `now`, oldest first. */
  async dueDisposals(q: Queryable, now: Date, limit: number): Promise<DisposalHold[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM line_disposals WHERE status = 'held' AND erase_after <= $1 ORDER BY erase_after, review_id LIMIT $2`,
      [now, limit],
    );
    return rows.map(holdOf);
  }

  /** Erasures begun and not finished (a crashed or interrupted run's), oldest first. */
  async unfinished(q: Queryable): Promise<Erasure[]> {
    const rows: unknown[] = await managerOf(q).query(`SELECT * FROM erasures WHERE finished_at IS NULL ORDER BY started_at, erasure_id`);
    return rows.map(erasureOf);
  }

  async erasure(q: Queryable, erasureId: string): Promise<Erasure | null> {
    const rows: unknown[] = await managerOf(q).query(`SELECT * FROM erasures WHERE erasure_id = $1`, [erasureId]);
    return rows.length > 0 ? erasureOf(rows[0]) : null;
  }

  /** Takes a held disposal for erasure (held → erasing, its erasure row written); null when it is no longer held. */
  async beginDisposal(q: Tx, reviewId: string, erasureId: string, now: Date, legalBasis: string): Promise<Erasure | null> {
    const held: unknown[] = await managerOf(q).query(`SELECT * FROM line_disposals WHERE review_id = $1 AND status = 'held' FOR UPDATE`, [
      reviewId,
    ]);
    if (held.length === 0) return null;
    const hold = holdOf(held[0]);
    await managerOf(q).query(`UPDATE line_disposals SET status = 'erasing', erasure_id = $2 WHERE review_id = $1`, [reviewId, erasureId]);
    const rows: unknown[] = await managerOf(q).query(
      `INSERT INTO erasures (erasure_id, kind, line_id, review_id, decided_by, decided_at, legal_basis, started_at)
       VALUES ($1, 'disposal', $2, $3, $4, $5, $6, $7) RETURNING *`,
      [erasureId, hold.lineId, hold.reviewId, hold.decidedBy, hold.decidedAt, legalBasis, now],
    );
    return erasureOf(rows[0]);
  }

  /** Starts a retention run (events that occurred before `cutoff`). */
  async beginRetention(q: Tx, erasureId: string, cutoff: Date, now: Date, legalBasis: string): Promise<Erasure> {
    const rows: unknown[] = await managerOf(q).query(
      `INSERT INTO erasures (erasure_id, kind, legal_basis, cutoff, started_at) VALUES ($1, 'retention', $2, $3, $4) RETURNING *`,
      [erasureId, legalBasis, cutoff, now],
    );
    return erasureOf(rows[0]);
  }

  /**
   * Up to `limit` of the line's raw events: an event naming only this line (or lines merged into
   * it) is deleted — its weekly counts kept in `erased_event_counts`, its id kept as a tombstone; an
   * event naming other lines too stays theirs, with this line taken out of its line list (the others
   * kept in their order: the first is the one the events' index ranges on). Returns
   * how many events it handled (0: none left).
   */
  async eraseLineEvents(q: Tx, erasure: Erasure, limit: number, now: Date): Promise<number> {
    const ids = await idsOf(q, erasure.lineId!);
    const [first, other] = eventsOfLinesHalves('$1::text[]');
    const picked: { event_id: string; occurred_at: Date; rest: string[] }[] = await managerOf(q).query(
      `SELECT e.event_id, e.occurred_at, ARRAY(SELECT u.l FROM unnest(e.line_ids) WITH ORDINALITY AS u(l, n) WHERE u.l <> ALL($1::text[]) ORDER BY u.n) AS rest
       FROM ((SELECT event_id, occurred_at, line_ids FROM intel_events WHERE ${first} ORDER BY occurred_at, event_id LIMIT $2)
             UNION ALL
             (SELECT event_id, occurred_at, line_ids FROM intel_events WHERE ${other} ORDER BY occurred_at, event_id LIMIT $2)) e
       ORDER BY e.occurred_at, e.event_id LIMIT $2`,
      [ids, limit],
    );
    if (picked.length === 0) return 0;
    const gone = picked.filter((p) => p.rest.length === 0);
    const kept = picked.filter((p) => p.rest.length > 0);
    await this.deleteEvents(q, erasure.erasureId, gone, now);
    if (kept.length > 0) {
      await managerOf(q).query(
        `UPDATE intel_events e SET line_ids = ARRAY(SELECT jsonb_array_elements_text(u.rest))
         FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS u(event_id, occurred_at, rest)
         WHERE e.event_id = u.event_id AND e.occurred_at = u.occurred_at`,
        [kept.map((k) => k.event_id), kept.map((k) => k.occurred_at), kept.map((k) => JSON.stringify(k.rest))],
      );
    }
    await managerOf(q).query(`UPDATE erasures SET events = events + $2, events_unlinked = events_unlinked + $3 WHERE erasure_id = $1`, [
      erasure.erasureId,
      gone.length,
      kept.length,
    ]);
    return picked.length;
  }

  /**
   * Up to `limit` rows of the line's identity facts, then (when none are left) of its recorded
   * state changes (the outbox). Returns how many rows it deleted (0: none left of either).
   */
  async eraseLineRows(q: Tx, erasure: Erasure, limit: number): Promise<number> {
    const ids = await idsOf(q, erasure.lineId!);
    for (const [table, column] of [
      ['line_identity_facts', 'identity_facts'],
      ['line_state_changes_outbox', 'state_changes'],
    ] as const) {
      const n = await count(
        q,
        `WITH d AS (
           DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE line_id = ANY($1::text[]) LIMIT $2) RETURNING 1)
         SELECT count(*)::integer AS n FROM d`,
        [ids, limit],
      );
      if (n > 0) {
        await managerOf(q).query(`UPDATE erasures SET ${column} = ${column} + $2 WHERE erasure_id = $1`, [erasure.erasureId, n]);
        return n;
      }
    }
    return 0;
  }

  /** Up to `limit` of the line's alerts, with their deliveries and delivery attempts. Returns how many alerts (0: none left). */
  async eraseLineAlerts(q: Tx, erasure: Erasure, limit: number): Promise<number> {
    const alerts: { alert_id: string }[] = await managerOf(q).query(
      `SELECT alert_id FROM alerts WHERE line_id = ANY($1::text[]) ORDER BY alert_id LIMIT $2`,
      [await idsOf(q, erasure.lineId!), limit],
    );
    if (alerts.length === 0) return 0;
    const ids = alerts.map((a) => a.alert_id);
    await managerOf(q).query(
      `DELETE FROM alert_delivery_attempts WHERE delivery_id IN (SELECT delivery_id FROM alert_deliveries WHERE alert_id = ANY($1::uuid[]))`,
      [ids],
    );
    const deliveries = await count(
      q,
      `WITH d AS (DELETE FROM alert_deliveries WHERE alert_id = ANY($1::uuid[]) RETURNING 1) SELECT count(*)::integer AS n FROM d`,
      [ids],
    );
    await managerOf(q).query(`DELETE FROM alerts WHERE alert_id = ANY($1::uuid[])`, [ids]);
    await managerOf(q).query(`UPDATE erasures SET alerts = alerts + $2, deliveries = deliveries + $3 WHERE erasure_id = $1`, [
      erasure.erasureId,
      ids.length,
      deliveries,
    ]);
    return ids.length;
  }

  /**
   * The last step of a line's erasure, in one transaction: its timeline, identifiers, brands, link
   * decisions, aliases, replacement suggestions, silences, reviews and the line itself; its weekly
   * figure rows are dropped without touching the weekly counts (they stay as counted). Writes the
   * tombstone and marks the disposal erased. Null (nothing done) when records of the line are still
   * there (a late event stored meanwhile): the caller runs the batches again.
   */
  async finishDisposal(q: Tx, erasure: Erasure, now: Date): Promise<Erasure | null> {
    const lineId = erasure.lineId!;
    await managerOf(q).query(`SELECT line_id FROM lines WHERE line_id = ANY(${IDS_OF}) ORDER BY line_id FOR UPDATE`, [lineId]);
    const ids = await idsOf(q, lineId);
    const [first, other] = eventsOfLinesHalves('$1::text[]');
    const left = await count(
      q,
      `SELECT (EXISTS (SELECT 1 FROM intel_events WHERE ${first})
            OR EXISTS (SELECT 1 FROM intel_events WHERE ${other})
            OR EXISTS (SELECT 1 FROM line_identity_facts WHERE line_id = ANY($1::text[]))
            OR EXISTS (SELECT 1 FROM line_state_changes_outbox WHERE line_id = ANY($1::text[]))
            OR EXISTS (SELECT 1 FROM alerts WHERE line_id = ANY($1::text[])))::integer AS n`,
      [ids],
    );
    if (left > 0) return null;
    // The same lock the weekly-figures refresh takes: its counts stay as they are, the line's rows go.
    await managerOf(q).query(`SELECT pg_advisory_xact_lock(hashtext('line_week_counts'))`);
    await managerOf(q).query(`DELETE FROM line_week_figures WHERE line_id = ANY($1::text[])`, [ids]);
    const periods = await count(
      q,
      `WITH d AS (DELETE FROM line_state_periods WHERE line_id = ANY($1::text[]) RETURNING 1) SELECT count(*)::integer AS n FROM d`,
      [ids],
    );
    const identifiers = await count(
      q,
      `WITH d AS (DELETE FROM line_identifiers WHERE line_id = ANY($1::text[]) RETURNING 1) SELECT count(*)::integer AS n FROM d`,
      [ids],
    );
    await managerOf(q).query(`DELETE FROM line_brands WHERE line_id = ANY($1::text[])`, [ids]);
    await managerOf(q).query(`DELETE FROM line_link_decisions WHERE line_id = ANY($1::text[]) OR into_line_id = ANY($1::text[])`, [ids]);
    await managerOf(q).query(`DELETE FROM line_replacement_suggestions WHERE line_id = ANY($1::text[]) OR replaces = ANY($1::text[])`, [
      ids,
    ]);
    await managerOf(q).query(`DELETE FROM alert_silences WHERE line_id = ANY($1::text[])`, [ids]);
    // The check-backs go with the line (ON DELETE CASCADE); their weekly figures stay (migration 0050).
    await managerOf(q).query(
      `INSERT INTO erased_check_backs (check_back_id, area, due_at, status, checked_at, cancelled_at)
       SELECT check_back_id, area, due_at,
              CASE WHEN status = 'done' THEN 'done' ELSE 'cancelled' END,
              CASE WHEN status = 'done' THEN checked_at END,
              CASE status WHEN 'done' THEN NULL WHEN 'cancelled' THEN updated_at ELSE $2::timestamptz END
       FROM line_check_backs WHERE line_id = ANY($1::text[])
       ON CONFLICT (check_back_id) DO NOTHING`,
      [ids, now],
    );
    await managerOf(q).query(`DELETE FROM lines WHERE line_id = ANY($1::text[])`, [ids]);
    await managerOf(q).query(`DELETE FROM line_aliases WHERE root_id = ANY($1::text[]) OR alias_id = ANY($1::text[])`, [ids]);
    // After the periods went (their delete trigger marks the line due again).
    await managerOf(q).query(`DELETE FROM line_week_refresh WHERE line_id = ANY($1::text[])`, [ids]);
    await managerOf(q).query(`UPDATE line_disposals SET status = 'erased' WHERE review_id = $1`, [erasure.reviewId]);
    const rows: unknown[] = await managerOf(q).query(
      `UPDATE erasures SET finished_at = $2, periods = periods + $3, identifiers = identifiers + $4 WHERE erasure_id = $1 RETURNING *`,
      [erasure.erasureId, now, periods, identifiers],
    );
    const done = erasureOf(Array.isArray(rows[0]) ? (rows[0] as unknown[])[0] : rows[0]);
    await managerOf(q).query(
      `INSERT INTO line_tombstones (erasure_id, line_id, erased_at, review_id, decided_by, decided_at, legal_basis, events, alerts, identifiers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        done.erasureId,
        lineId,
        now,
        done.reviewId,
        done.decidedBy,
        done.decidedAt,
        done.legalBasis,
        done.counts.events,
        done.counts.alerts,
        done.counts.identifiers,
      ],
    );
    return done;
  }

  /**
   * Up to `limit` raw events that occurred before the run's cutoff on no line whose latest review
   * decided `retain`: deleted (weekly counts kept, ids kept as tombstones), counted per line.
   * Returns how many (0: none left).
   */
  async eraseExpiredEvents(q: Tx, erasure: Erasure, limit: number, now: Date): Promise<number> {
    const picked: { event_id: string; occurred_at: Date; line_ids: string[] }[] = await managerOf(q).query(
      `SELECT e.event_id, e.occurred_at, e.line_ids FROM intel_events e
       WHERE e.occurred_at < $1 AND NOT ${RETAINED}
       ORDER BY e.occurred_at, e.event_id LIMIT $2`,
      [erasure.cutoff, limit],
    );
    if (picked.length === 0) return 0;
    await this.deleteEvents(q, erasure.erasureId, picked, now);
    await managerOf(q).query(
      `INSERT INTO erasure_line_counts (erasure_id, line_id, events)
       SELECT $1, line_id, count(*) FROM unnest($2::text[]) AS u(line_id) GROUP BY line_id
       ON CONFLICT (erasure_id, line_id) DO UPDATE SET events = erasure_line_counts.events + EXCLUDED.events`,
      [erasure.erasureId, picked.flatMap((p) => p.line_ids)],
    );
    await managerOf(q).query(`UPDATE erasures SET events = events + $2 WHERE erasure_id = $1`, [erasure.erasureId, picked.length]);
    return picked.length;
  }

  /** Ends a retention run: returns it with the events it erased per line (what its s.62 entries name). */
  async finishRetention(q: Tx, erasure: Erasure, now: Date): Promise<{ erasure: Erasure; lines: { lineId: string; events: number }[] }> {
    const rows: unknown[] = await managerOf(q).query(`UPDATE erasures SET finished_at = $2 WHERE erasure_id = $1 RETURNING *`, [
      erasure.erasureId,
      now,
    ]);
    const lines: { line_id: string; events: number }[] = await managerOf(q).query(
      `SELECT line_id, events FROM erasure_line_counts WHERE erasure_id = $1 ORDER BY line_id`,
      [erasure.erasureId],
    );
    return {
      erasure: erasureOf(Array.isArray(rows[0]) ? (rows[0] as unknown[])[0] : rows[0]),
      lines: lines.map((l) => ({ lineId: l.line_id, events: l.events })),
    };
  }

  /** Whether any raw event is past `cutoff` and not retained (a retention run has work). */
  async anyExpired(q: Queryable, cutoff: Date): Promise<boolean> {
    const rows: unknown[] = await managerOf(q).query(`SELECT 1 FROM intel_events e WHERE e.occurred_at < $1 AND NOT ${RETAINED} LIMIT 1`, [
      cutoff,
    ]);
    return rows.length > 0;
  }

  /**
   * TimescaleDB: the chunks of `intel_events` wholly before the retention cutoff that retention has
   * left empty (nothing in them retained) are dropped whole (`drop_chunks`), giving their storage
   * back at once; a chunk holding a retained event stays, its other rows deleted. Each chunk is
   * locked before it is found empty, so an event stored meanwhile is never dropped with it. Rows go
   * first through the erasure path (tombstones, counts, s.62 entries per line) on both flavours:
   * dropping a chunk with rows in it would lose what the erasure must record. Plain PostgreSQL: no
   * chunks, none. Returns how many were dropped.
   */
  async dropEmptyChunksBefore(q: Tx, cutoff: Date): Promise<number> {
    const timescale: unknown[] = await managerOf(q).query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
    if (timescale.length === 0) return 0;
    const chunks: { schema: string; name: string; range_start: Date; range_end: Date }[] = await managerOf(q).query(
      `SELECT chunk_schema AS schema, chunk_name AS name, range_start, range_end FROM timescaledb_information.chunks
       WHERE hypertable_name = 'intel_events' AND range_end <= $1 ORDER BY range_start`,
      [cutoff],
    );
    let dropped = 0;
    for (const chunk of chunks) {
      const table = `"${chunk.schema.replace(/"/g, '""')}"."${chunk.name.replace(/"/g, '""')}"`;
      await managerOf(q).query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      if ((await managerOf(q).query(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0) continue;
      await managerOf(q).query(`SELECT drop_chunks('intel_events', older_than => $1::timestamptz, newer_than => $2::timestamptz)`, [
        chunk.range_end,
        chunk.range_start,
      ]);
      dropped += 1;
    }
    return dropped;
  }

  /** What a retention run at `cutoff` would erase, counted by area and by line (no content). */
  async previewRetention(q: Queryable, cutoff: Date): Promise<RetentionPreview> {
    const byArea: { area: string; events: number }[] = await managerOf(q).query(
      `SELECT e.area, count(*)::integer AS events FROM intel_events e
       WHERE e.occurred_at < $1 AND NOT ${RETAINED} GROUP BY e.area ORDER BY e.area`,
      [cutoff],
    );
    const byLine: { line_id: string; events: number }[] = await managerOf(q).query(
      `SELECT l.line_id, count(*)::integer AS events FROM intel_events e, unnest(e.line_ids) AS l(line_id)
       WHERE e.occurred_at < $1 AND NOT ${RETAINED} GROUP BY l.line_id ORDER BY l.line_id`,
      [cutoff],
    );
    return {
      cutoff,
      events: byArea.reduce((n, a) => n + a.events, 0),
      byArea,
      byLine: byLine.map((l) => ({ lineId: l.line_id, events: l.events })),
    };
  }

  /** Deletes these events: their weekly counts kept, their ids kept (marked erased, listed under the erasure). */
  private async deleteEvents(q: Tx, erasureId: string, events: readonly { event_id: string; occurred_at: Date }[], now: Date) {
    if (events.length === 0) return;
    const params = [events.map((e) => e.event_id), events.map((e) => e.occurred_at)];
    const picked = `intel_events e JOIN unnest($1::uuid[], $2::timestamptz[]) AS u(event_id, occurred_at)
                    ON e.event_id = u.event_id AND e.occurred_at = u.occurred_at`;
    await managerOf(q).query(
      `INSERT INTO erased_event_counts (area, week_start, ${ERASED_COUNT_COLUMNS.join(', ')})
       SELECT e.area, date_trunc('week', e.occurred_at, 'Europe/London'), ${COUNT_SELECT}
       FROM ${picked} WHERE e.type IN ${COUNTED}
       GROUP BY 1, 2
       ON CONFLICT (week_start, area) DO UPDATE SET
         ${ERASED_COUNT_COLUMNS.map((c) => `${c} = erased_event_counts.${c} + EXCLUDED.${c}`).join(', ')}`,
      params,
    );
    await managerOf(q).query(
      `DELETE FROM intel_events e USING unnest($1::uuid[], $2::timestamptz[]) AS u(event_id, occurred_at)
       WHERE e.event_id = u.event_id AND e.occurred_at = u.occurred_at`,
      params,
    );
    await managerOf(q).query(`UPDATE intel_event_ids SET erased_at = $2 WHERE event_id = ANY($1::uuid[])`, [params[0], now]);
    await managerOf(q).query(
      `INSERT INTO erased_event_ids (event_id, erasure_id) SELECT unnest($1::uuid[]), $2 ON CONFLICT (event_id) DO NOTHING`,
      [params[0], erasureId],
    );
  }
}
