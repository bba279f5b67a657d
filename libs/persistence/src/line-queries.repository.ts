import type { IntelEventV1 } from '@linewatch/contracts';
import { normaliseBrand, type LineState, type StatePeriod } from '@linewatch/domain';
import { scopeParams, type AreaScope } from './area-scope';
import { types } from 'pg';
import { managerOf, type Queryable } from './database';
import { holdOf, type DisposalHold } from './erasure.repository';
import { eventsOfLineHalves } from './events-of-line.sql';
import { brand, BRANDS_OF_LINE, interval, INTERVALS_OF_LINE, type StoredBrand, type StoredInterval } from './line-identity.repository';
import {
  aliasOf,
  ALIASES_OF_ROOT,
  DECISIONS_CONCERNING,
  recordedDecisionOf,
  type AliasRow,
  type RecordedLinkDecision,
} from './line-links.repository';
import { reviewOf, type LineReview } from './line-reviews.repository';
import { periodOf, PERIODS_OF_LINE, type PeriodRow } from './lines.repository';

// Declared, never defined: only the scoped reads (`one`, `oneResolved`) can mark a line as found in scope.
declare const foundInScope: unique symbol;

export interface LineSummary {
  readonly lineId: string;
  readonly state: LineState | null;
  readonly stateSince: Date | null;
  readonly area: string | null;
  readonly areas: string[];
  readonly lastSightingAt: Date | null;
  readonly referrals: number;
  readonly dormancyOverrideDays: number | null;
  readonly updatedAt: Date;
  /** MoPI: when the line's record is next due for review. */
  readonly reviewDueAt: Date;
  /** The brands (compared form) the reader may see, most recently seen first. */
  readonly brands: string[];
  /** The latest-started number still held that the reader may see (E.164), or null. */
  readonly currentNumber: string | null;
}

/** What a reader may see of identity: whoever is shown handling-C events withheld sees nothing known only from them. */
export interface IdentitySight {
  readonly seesHandlingC: boolean;
}

/** Lines never reviewed are due this many days after their first record. */
export interface ReviewPolicy {
  readonly intervalDays: number;
}

export interface ReviewDue {
  readonly lineId: string;
  readonly state: LineState | null;
  readonly area: string | null;
  readonly areas: string[];
  readonly reviewDueAt: Date;
  readonly lastReviewedAt: Date | null;
  readonly lastSightingAt: Date | null;
}

export interface LineFilter {
  readonly state?: LineState;
  readonly area?: string;
  /**
   * Lines with evidence naming this brand: the same brand as compared in line identity (trimmed,
   * case- and accent-insensitive, inner spaces collapsed), whole, never a pattern — read from the
   * line's brands (`line_brands`), so a merged line's brands are its survivor's.
   */
  readonly brand?: string;
  /**
   * Lines that held this number (E.164) or handset (15-digit IMEI) at any time: the identity index
   * (`line_identifiers`), literal equality on the normalised value, and only an interval the
   * reader may see (one known only from handling-C evidence finds nothing for whoever is shown
   * those events withheld).
   */
  readonly msisdn?: string;
  readonly imei?: string;
  readonly changedSince?: Date;
  /** Keyset pagination: lines after this id. */
  readonly after?: string;
  readonly limit: number;
}

/**
 * A line a scoped read found (`LineQueriesRepository.one` or `oneResolved`): the proof its details may be read. A
 * caller cannot make one — the brand is a symbol only this file declares — so the detail reads
 * below cannot be reached with a line id alone.
 */
export type LineInScope = LineSummary & { readonly [foundInScope]: true };

/** What `details` reads of a line in scope. */
export interface LineDetails {
  readonly periods: StatePeriod[];
  readonly events: IntelEventV1[];
  readonly reviews: LineReview[];
  /** The period at `asAt` (null: no state yet then); undefined when no `asAt` was asked. */
  readonly asAt?: PeriodAt | null;
  readonly identity: LineIdentityDetails;
  /** The line's open disposal hold (held, or being erased), if any. */
  readonly hold: DisposalHold | null;
}

/** A line's identity as the reader may see it (see `details`). */
export interface LineIdentityDetails {
  readonly intervals: StoredInterval[];
  readonly brands: StoredBrand[];
  /** The lines merged into it (whose ids resolve to it). */
  readonly aliases: AliasRow[];
  /** The link decisions naming it or a line merged into it, and the unmerges of those merges, in event time. */
  readonly links: RecordedLinkDecision[];
}

export interface PeriodAt {
  readonly state: LineState;
  readonly from: Date;
  readonly to: Date | null;
  readonly transition: string;
  readonly causeEventId: string | null;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
const summary = (r: any): LineSummary => ({
  lineId: r.line_id,
  state: r.state,
  stateSince: r.state_since,
  area: r.area,
  areas: r.areas,
  lastSightingAt: r.last_sighting_at,
  referrals: r.referrals,
  dormancyOverrideDays: r.dormancy_override_days,
  updatedAt: r.updated_at,
  reviewDueAt: r.review_due,
  brands: r.brands ?? [],
  currentNumber: r.current_number ?? null,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The review date of a line: its own, or (never reviewed) its first record + the interval in days bound at `param`. */
const reviewDue = (param: string) => `coalesce(l.review_due_at, l.created_at + make_interval(days => ${param}::int))`;
const columns = (reviewParam: string) =>
  'l.line_id, l.state, l.state_since, l.area, l.areas, l.last_sighting_at, l.referrals, l.dormancy_override_days, l.updated_at, ' +
  `${reviewDue(reviewParam)} AS review_due`;
/**
 * A line's brands (most recently seen first) and current number, as the reader bound at
 * `seesParam` (boolean: shown handling-C evidence) may see them: two probes of the identity
 * tables' primary keys (line_id first) per line. Evaluated on an outer query over the page, so
 * only the rows answered pay for them.
 */
const identityColumns = (line: string, seesParam: string) =>
  `ARRAY(SELECT b.brand_key FROM line_brands b WHERE b.line_id = ${line} AND (${seesParam}::boolean OR b.disclosable)
         ORDER BY b.last_seen_at DESC, b.brand_key) AS brands,
   (SELECT i.value FROM line_identifiers i
    WHERE i.line_id = ${line} AND i.kind = 'msisdn' AND i.valid_to IS NULL AND (${seesParam}::boolean OR i.disclosable)
    ORDER BY i.valid_from DESC, i.seq DESC LIMIT 1) AS current_number`;
/** Officers see lines in their areas only: $1 = every area (boolean), $2 = the scope's areas (`scopeParams`). */
const IN_SCOPE = '($1::boolean OR l.areas && $2::text[])';

/** The rows of a subquery as one JSON array (an empty one when none), ordered by `order` (its columns, as `t.`). */
const jsonRows = (select: string, order: string) => `(SELECT coalesce(json_agg(t ORDER BY ${order}), '[]'::json) FROM (${select}) t)`;

/**
 * A line's history but its events — periods, reviews, identity (intervals and brands as the reader
 * bound at $2 may see them, the lines merged into it, the link decisions concerning it or them)
 * and its open disposal hold — in **one statement**, each part a JSON array of its table's rows
 * (each part's SQL is its repository's, shared). One round trip instead of seven: on a loaded
 * machine each statement is a wake-up of the api and of a database backend (docs/benchmarks.md).
 */
const HISTORY_OF_LINE = `SELECT
  ${jsonRows(PERIODS_OF_LINE('$1'), 't.seq')} AS periods,
  ${jsonRows('SELECT * FROM line_reviews WHERE line_id = $1', 't.reviewed_at DESC')} AS reviews,
  ${jsonRows(INTERVALS_OF_LINE('$1', '$2'), 't.valid_from, t.kind, t.value, t.seq')} AS intervals,
  ${jsonRows(BRANDS_OF_LINE('$1', '$2'), 't.brand_key')} AS brands,
  ${jsonRows(ALIASES_OF_ROOT('$1'), 't.alias_id')} AS aliases,
  ${jsonRows(
    `SELECT event_id, type, line_id, into_line_id, merge_event_id, identifier_kind, identifier_value, occurred_at, decided_by,
            justification, applied_at
     FROM (${DECISIONS_CONCERNING(`ARRAY[$1::text] || ARRAY(SELECT alias_id FROM line_aliases WHERE root_id = $1)`)}) d`,
    't.occurred_at, t.event_id',
  )} AS decisions,
  ${jsonRows(`SELECT * FROM line_disposals WHERE line_id = $1 AND status IN ('held', 'erasing')`, 't.review_id')} AS holds`;

const timestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;
/**
 * Rows read back from JSON as node-postgres would have given them: the named timestamptz columns
 * (JSON carries them as ISO text) parsed by pg's own parser, so a value is the same Date either way.
 */
/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
function fromJson(rows: Record<string, any>[], timestamps: readonly string[]): Record<string, unknown>[] {
  for (const row of rows)
    for (const column of timestamps) if (typeof row[column] === 'string') row[column] = timestamptz(row[column].replace('T', ' '));
  return rows;
}

/** Read-only queries for the API: lines in scope, one line's timeline and events, a state "as at" a date. */
export class LineQueriesRepository {
  /**
   * `seesHandlingC`: whether the caller may see what handling-code C events say. A filter matches
   * only on what the caller may see: a brand known only from C-graded evidence finds nothing for
   * whoever is shown those events withheld.
   */
  async list(
    q: Queryable,
    scope: AreaScope,
    filter: LineFilter,
    review: ReviewPolicy,
    reader: { readonly seesHandlingC: boolean },
  ): Promise<LineSummary[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT p.*, ${identityColumns('p.line_id', '$10')} FROM (
       SELECT ${columns('$9')} FROM lines l
       WHERE ${IN_SCOPE} AND l.state IS NOT NULL AND l.merged_into IS NULL
         AND ($3::text IS NULL OR l.state = $3)
         AND ($4::text IS NULL OR $4 = ANY(l.areas))
         AND ($5::timestamptz IS NULL OR l.updated_at >= $5)
         AND ($6::text IS NULL OR l.line_id > $6)
         AND ($7::text IS NULL OR EXISTS (
               SELECT 1 FROM line_brands b
               WHERE b.line_id = l.line_id AND b.brand_key = $7 AND ($10::boolean OR b.disclosable)))
         AND ($11::text IS NULL OR EXISTS (
               SELECT 1 FROM line_identifiers i
               WHERE i.kind = 'msisdn' AND i.value = $11 AND i.line_id = l.line_id AND ($10::boolean OR i.disclosable)))
         AND ($12::text IS NULL OR EXISTS (
               SELECT 1 FROM line_identifiers i
               WHERE i.kind = 'imei' AND i.value = $12 AND i.line_id = l.line_id AND ($10::boolean OR i.disclosable)))
       ORDER BY l.line_id LIMIT $8) p
       ORDER BY p.line_id`,
      [
        ...scopeParams(scope),
        filter.state ?? null,
        filter.area ?? null,
        filter.changedSince ?? null,
        filter.after ?? null,
        // Compared as line identity compares brands (the key `line_brands` holds); a blank brand matches nothing.
        filter.brand === undefined ? null : (normaliseBrand(filter.brand) ?? ''),
        filter.limit,
        review.intervalDays,
        reader.seesHandlingC,
        filter.msisdn ?? null,
        filter.imei ?? null,
      ],
    );
    return rows.map(summary);
  }

  /**
   * The line if it is in scope, else null (not found, whether it exists or not). Its brands and
   * current number as `reader` may see them (by default: as whoever is not shown handling-C evidence).
   */
  async one(
    q: Queryable,
    scope: AreaScope,
    lineId: string,
    review: ReviewPolicy,
    reader: IdentitySight = { seesHandlingC: false },
  ): Promise<LineInScope | null> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT ${columns('$4')}, ${identityColumns('l.line_id', '$5')} FROM lines l WHERE ${IN_SCOPE} AND l.line_id = $3`,
      [...scopeParams(scope), lineId, review.intervalDays, reader.seesHandlingC],
    );
    return rows.length === 0 ? null : (summary(rows[0]) as LineInScope);
  }

  /**
   * The id the asked one resolves to (`root`: the survivor of the merges it went into, along
   * chains, or itself when it is no merged line's) and that line if it is in scope (else null),
   * in one statement. The root is answered whatever the scope (the caller logs what was asked).
   */
  async oneResolved(
    q: Queryable,
    scope: AreaScope,
    lineId: string,
    review: ReviewPolicy,
    reader: IdentitySight = { seesHandlingC: false },
  ): Promise<{ root: string; line: LineInScope | null }> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
    const rows: any[] = await managerOf(q).query(
      `WITH r AS (SELECT coalesce((SELECT a.root_id FROM line_aliases a WHERE a.alias_id = $3), $3::text) AS root_id)
       SELECT r.root_id AS root, p.* FROM r LEFT JOIN LATERAL (
         SELECT ${columns('$4')}, ${identityColumns('l.line_id', '$5')} FROM lines l WHERE ${IN_SCOPE} AND l.line_id = r.root_id
       ) p ON true`,
      [...scopeParams(scope), lineId, review.intervalDays, reader.seesHandlingC],
    );
    const row = rows[0];
    return { root: row.root, line: row.line_id === null ? null : (summary(row) as LineInScope) };
  }

  /**
   * A line's timeline, most recent events (newest first), reviews, identity (as `reader` may see
   * it; by default as whoever is not shown handling-C evidence) and — with `asAt` — the period it
   * was in then: read in parallel on `q`. Only for a line a scoped read found.
   */
  async details(
    q: Queryable,
    line: LineInScope,
    options: { readonly events: number; readonly asAt?: Date; readonly reader?: IdentitySight },
  ): Promise<LineDetails> {
    const reader = options.reader ?? { seesHandlingC: false };
    const [history, events, asAt] = await Promise.all([
      this.historyOf(q, line.lineId, reader),
      this.recentEvents(q, line.lineId, options.events),
      options.asAt ? this.periodAt(q, line.lineId, options.asAt) : Promise.resolve(undefined),
    ]);
    return { ...history, events, ...(options.asAt ? { asAt } : {}) };
  }

  /** `HISTORY_OF_LINE`, mapped by each table's own row mapper. */
  private async historyOf(q: Queryable, lineId: string, reader: IdentitySight): Promise<Omit<LineDetails, 'events' | 'asAt'>> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
    const [row]: any[] = await managerOf(q).query(HISTORY_OF_LINE, [lineId, reader.seesHandlingC]);
    const holds = fromJson(row.holds, ['decided_at', 'erase_after', 'cancelled_at']).map(holdOf);
    return {
      periods: (fromJson(row.periods, ['valid_from', 'valid_to']) as unknown as PeriodRow[]).map(periodOf),
      reviews: fromJson(row.reviews, ['reviewed_at', 'next_review_at']).map(reviewOf),
      identity: {
        intervals: fromJson(row.intervals, ['valid_from', 'valid_to']).map(interval),
        brands: fromJson(row.brands, ['first_seen_at', 'last_seen_at']).map(brand),
        aliases: fromJson(row.aliases, ['merged_at']).map(aliasOf),
        links: fromJson(row.decisions, ['occurred_at', 'applied_at']).map(recordedDecisionOf),
      },
      hold: holds[0] ?? null,
    };
  }

  /** Lines in scope whose review falls due by `by`, earliest first; keyset pages on (due, lineId). */
  async dueForReview(
    q: Queryable,
    scope: AreaScope,
    by: Date,
    review: ReviewPolicy,
    page: { readonly limit: number; readonly after?: { readonly dueAt: Date; readonly lineId: string } },
  ): Promise<ReviewDue[]> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await managerOf(q).query(
      `SELECT * FROM (
         SELECT l.line_id, l.state, l.area, l.areas, l.last_sighting_at, ${reviewDue('$4')} AS review_due,
                (SELECT max(r.reviewed_at) FROM line_reviews r WHERE r.line_id = l.line_id) AS last_reviewed_at
         FROM lines l WHERE ${IN_SCOPE}) d
       WHERE d.review_due <= $3
         AND ($5::timestamptz IS NULL OR (d.review_due, d.line_id) > ($5, $6::text))
       ORDER BY d.review_due, d.line_id LIMIT $7`,
      [...scopeParams(scope), by, review.intervalDays, page.after?.dueAt ?? null, page.after?.lineId ?? null, page.limit],
    );
    return rows.map((r) => ({
      lineId: r.line_id,
      state: r.state,
      area: r.area,
      areas: r.areas,
      reviewDueAt: r.review_due,
      lastReviewedAt: r.last_reviewed_at,
      lastSightingAt: r.last_sighting_at,
    }));
  }

  /** The period the line was in at `at` (event time), or null when it had no state yet. */
  private async periodAt(q: Queryable, lineId: string, at: Date): Promise<PeriodAt | null> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await managerOf(q).query(
      `SELECT state, valid_from, valid_to, transition, cause_event_id FROM line_state_periods
       WHERE line_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
       ORDER BY seq DESC LIMIT 1`,
      [lineId, at],
    );
    const r = rows[0];
    return r ? { state: r.state, from: r.valid_from, to: r.valid_to, transition: r.transition, causeEventId: r.cause_event_id } : null;
  }

  /**
   * The line's most recent events, newest first (stored, validated payloads): the newest of those
   * naming it first (one range of `intel_events_first_line_time`) merged with the newest of those
   * naming it after another line (`eventsOfLineHalves`, migration 0055).
   */
  private async recentEvents(q: Queryable, lineId: string, limit: number): Promise<IntelEventV1[]> {
    const [first, other] = eventsOfLineHalves('$1');
    const rows: { payload: IntelEventV1 }[] = await managerOf(q).query(
      `SELECT payload FROM (
         (SELECT payload, occurred_at FROM intel_events WHERE ${first} ORDER BY occurred_at DESC LIMIT $2)
         UNION ALL
         (SELECT payload, occurred_at FROM intel_events WHERE ${other} ORDER BY occurred_at DESC LIMIT $2)
       ) recent ORDER BY occurred_at DESC LIMIT $2`,
      [lineId, limit],
    );
    return rows.map((r) => r.payload);
  }
}
