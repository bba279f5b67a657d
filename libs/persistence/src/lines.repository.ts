import type { IntelEventType } from '@linewatch/contracts';
import type { LineEvent, LineState, LineTimeline, StatePeriod } from '@linewatch/domain';
import { managerOf, type Queryable, type Tx } from './database';
import { eventsOfLinesHalves } from './events-of-line.sql';
import { decodeSnapshot, snapshotDocument } from './line-snapshot.codec';

/** A line as stored: what people were last told (its current state) and the kept decider state. */
export interface StoredLine {
  readonly lineId: string;
  readonly state: LineState | null;
  readonly stateSince: Date | null;
  readonly latestEventAt: Date | null;
  /** Null when never computed, or kept in an older format: recompute from the events. */
  readonly snapshot: LineTimeline | null;
  readonly version: number;
}

/** What the tracker writes for a line after computing it. */
export interface LineWrite {
  readonly timeline: LineTimeline;
  /** The newest event the line knows (event time): the horizon for `late`. */
  readonly latestEventAt: Date | null;
  readonly nextCheckAt: Date | null;
  /** Rewrite `line_state_periods` (the timeline changed). */
  readonly periodsChanged: boolean;
}

export interface EventSummary {
  readonly eventId: string;
  readonly type: IntelEventType;
  readonly grading: { readonly source: '1' | '2' | '3'; readonly intelligence: 'A' | 'B' | 'C' | 'D' | 'E'; readonly handling: 'P' | 'C' };
}

interface LineRow {
  line_id: string;
  state: LineState | null;
  state_since: Date | null;
  latest_event_at: Date | null;
  snapshot: unknown;
  version: string;
}

const COLUMNS = 'line_id, state, state_since, latest_event_at, snapshot, version';
/** Rows per statement: keeps each protocol message small (the embedded database prefers it). */
const CHUNK = 200;

function toStored(row: LineRow): StoredLine {
  return {
    lineId: row.line_id,
    state: row.state,
    stateSince: row.state_since,
    latestEventAt: row.latest_event_at,
    snapshot: decodeSnapshot(row.snapshot),
    version: Number(row.version),
  };
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Lines, their timelines, and the events behind them. Every method runs in the caller's
 * transaction; the row lock taken by `lock`/`lockDue` is what serialises changes of one line
 * across batches, the sweep, rebuilds and tracker instances.
 */
export class LinesRepository {
  /**
   * Locks these lines (creating rows for new ones), in line-id order so that two transactions
   * locking overlapping sets cannot deadlock.
   */
  async lock(q: Tx, lineIds: readonly string[]): Promise<Map<string, StoredLine>> {
    const ids = [...new Set(lineIds)].sort();
    const locked = new Map<string, StoredLine>();
    for (const chunk of chunks(ids)) {
      await managerOf(q).query(`INSERT INTO lines (line_id) SELECT * FROM unnest($1::text[]) ORDER BY 1 ON CONFLICT (line_id) DO NOTHING`, [
        chunk,
      ]);
      const rows: LineRow[] = await managerOf(q).query(
        `SELECT ${COLUMNS} FROM lines WHERE line_id = ANY($1::text[]) ORDER BY line_id FOR UPDATE`,
        [chunk],
      );
      for (const row of rows) locked.set(row.line_id, toStored(row));
    }
    return locked;
  }

  /**
   * Locks up to `limit` lines whose next check (dormancy, or a pending event) is due by `now`,
   * skipping lines another transaction holds: tracker instances sweep side by side without
   * waiting on each other, and a line is never swept by two at once.
   */
  async lockDue(q: Tx, now: Date, limit: number): Promise<StoredLine[]> {
    const rows: LineRow[] = await managerOf(q).query(
      `SELECT ${COLUMNS} FROM lines WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toStored);
  }

  async save(q: Queryable, writes: readonly LineWrite[]): Promise<void> {
    for (const chunk of chunks(writes)) {
      // The chunk as one JSON document read by jsonb_to_recordset (as the events' store does): one
      // JSON.stringify, where `jsonb[]` parameters had node-postgres escape every snapshot again
      // into an array literal and the server parse each element on its own; `areas` goes from its
      // JSON array straight into the text[] column.
      await managerOf(q).query(
        `UPDATE lines AS l SET
           state = u.state, state_since = u.state_since, area = u.area,
           areas = u.areas,
           last_sighting_at = u.last_sighting_at, latest_event_at = u.latest_event_at,
           dormancy_override_days = u.dormancy_override_days, referrals = u.referrals,
           next_check_at = u.next_check_at, snapshot = u.snapshot, version = l.version + 1, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb)
           AS u(line_id text, state text, state_since timestamptz, area text, areas text[], last_sighting_at timestamptz,
                latest_event_at timestamptz, dormancy_override_days integer, referrals integer, next_check_at timestamptz, snapshot jsonb)
         WHERE l.line_id = u.line_id`,
        [
          JSON.stringify(
            chunk.map((w) => ({
              line_id: w.timeline.lineId,
              state: w.timeline.state,
              state_since: w.timeline.periods.at(-1)?.from ?? null,
              area: w.timeline.area,
              areas: w.timeline.areas,
              last_sighting_at: w.timeline.lastSightingAt,
              latest_event_at: w.latestEventAt,
              dormancy_override_days: w.timeline.dormancyOverrideDays,
              referrals: w.timeline.referrals,
              next_check_at: w.nextCheckAt,
              snapshot: snapshotDocument(w.timeline),
            })),
          ),
        ],
      );
    }
    const rewritten = writes.filter((w) => w.periodsChanged).map((w) => w.timeline);
    for (const chunk of chunks(rewritten)) {
      await managerOf(q).query(`DELETE FROM line_state_periods WHERE line_id = ANY($1::text[])`, [chunk.map((x) => x.lineId)]);
    }
    const periods = rewritten.flatMap((x) => x.periods.map((period, seq) => ({ lineId: x.lineId, seq, period })));
    for (const chunk of chunks(periods, 500)) {
      await managerOf(q).query(
        `INSERT INTO line_state_periods (line_id, seq, state, valid_from, valid_to, transition, cause_event_id, closure_type)
         SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::uuid[], $8::smallint[])`,
        [
          chunk.map((r) => r.lineId),
          chunk.map((r) => r.seq),
          chunk.map((r) => r.period.state),
          chunk.map((r) => r.period.from),
          chunk.map((r) => r.period.to),
          chunk.map((r) => r.period.cause.kind),
          chunk.map((r) => r.period.cause.eventId),
          chunk.map((r) => r.period.closureType ?? null),
        ],
      );
    }
  }

  /**
   * The line events of these lines, read from the columns the rules need rather than whole
   * payloads (a recomputation reads a line's whole history: keep it light). Mirrors the domain's
   * `lineEventsOf` for stored (validated) events.
   */
  async lineEventsOf(q: Queryable, lineIds: readonly string[]): Promise<LineEvent[]> {
    if (lineIds.length === 0) return [];
    const [first, other] = eventsOfLinesHalves('$1::text[]');
    const rows: {
      event_id: string;
      type: LineEvent['type'];
      occurred_ms: number;
      area: string;
      intelligence: LineEvent['intelligence'];
      line_id: string;
      decision: string | null;
      window_days: number | null;
    }[] = await managerOf(q).query(
      // The instant as milliseconds since the epoch, rounded down as a JavaScript date reads an
      // ISO string's fraction: a recomputation reads a line's whole history, and node-postgres
      // parsing each timestamp's text was 7.5 s of a by-number backlog's tracker (session 15).
      `SELECT e.event_id, e.type, floor(extract(epoch FROM e.occurred_at) * 1000)::float8 AS occurred_ms, e.area,
              e.grading->>'intelligence' AS intelligence, l.line_id,
              e.payload->'body'->>'decision' AS decision, (e.payload->'body'->>'dormancyWindowDays')::integer AS window_days
       FROM (SELECT * FROM intel_events WHERE ${first} UNION ALL SELECT * FROM intel_events WHERE ${other}) e
         CROSS JOIN LATERAL unnest(e.line_ids) AS l(line_id)
       WHERE l.line_id = ANY($1::text[])`,
      [[...lineIds]],
    );
    return rows.map((r): LineEvent => {
      const base = {
        eventId: r.event_id,
        lineId: r.line_id,
        occurredAt: new Date(r.occurred_ms),
        area: r.area,
        intelligence: r.intelligence,
      };
      if (r.type !== 'line.assessed') return { ...base, type: r.type } as LineEvent;
      if (r.decision === 'dormancy_override')
        return { ...base, type: r.type, decision: r.decision, dormancyWindowDays: Number(r.window_days) };
      return { ...base, type: r.type, decision: r.decision as 'closure_type_1' | 'closure_type_2' | 'reopen' };
    });
  }

  /** Type and grading of these events (a change's cause, when not in the batch at hand). */
  async summaries(q: Queryable, eventIds: readonly string[]): Promise<Map<string, EventSummary>> {
    if (eventIds.length === 0) return new Map();
    const rows: { event_id: string; type: IntelEventType; grading: EventSummary['grading'] }[] = await managerOf(q).query(
      `SELECT event_id, type, grading FROM intel_events WHERE event_id = ANY($1::uuid[])`,
      [[...new Set(eventIds)]],
    );
    return new Map(rows.map((r) => [r.event_id, { eventId: r.event_id, type: r.type, grading: r.grading }]));
  }

  /** Every line named by a stored event, and every line with a row: what a full rebuild covers. */
  async allLineIds(q: Queryable): Promise<string[]> {
    const rows: { line_id: string }[] = await managerOf(q).query(
      `SELECT DISTINCT unnest(line_ids) AS line_id FROM intel_events UNION SELECT line_id FROM lines ORDER BY 1`,
    );
    return rows.map((r) => r.line_id);
  }

  /** The stored timeline of a line, oldest period first. */
  async periodsOf(q: Queryable, lineId: string): Promise<StatePeriod[]> {
    const rows: PeriodRow[] = await managerOf(q).query(`${PERIODS_OF_LINE('$1')} ORDER BY seq`, [lineId]);
    return rows.map(periodOf);
  }
}

/** A row of `line_state_periods` as `PERIODS_OF_LINE` selects it. */
export interface PeriodRow {
  readonly seq: number;
  readonly state: LineState;
  readonly valid_from: Date;
  readonly valid_to: Date | null;
  readonly transition: StatePeriod['cause']['kind'];
  readonly cause_event_id: string | null;
  readonly closure_type: number | null;
}

/** The periods of the line bound at `lineParam` (unordered: `seq` is the timeline's order). For this library only. */
export const PERIODS_OF_LINE = (lineParam: string) =>
  `SELECT seq, state, valid_from, valid_to, transition, cause_event_id, closure_type FROM line_state_periods WHERE line_id = ${lineParam}`;

export const periodOf = (r: PeriodRow): StatePeriod => ({
  state: r.state,
  from: r.valid_from,
  to: r.valid_to,
  cause: { eventId: r.cause_event_id, kind: r.transition },
  ...(r.closure_type === null ? {} : { closureType: r.closure_type as 1 | 2 }),
});
