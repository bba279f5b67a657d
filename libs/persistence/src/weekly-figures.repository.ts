import type { AreaMark, FigurePeriod, LineWeekFlags, WeekCounts, WeeklyFigure } from '@linewatch/domain';
import { hasTimescale } from './capabilities';
import { managerOf, type Database, type Queryable, type Tx } from './database';
import { LINE_COUNT_COLUMNS } from './weekly-line-counts.columns';

/** What the weekly rule needs of one line (see the domain's `lineWeekFigures`). */
export interface LineFigureSource {
  readonly lineId: string;
  readonly periods: FigurePeriod[];
  readonly areaMarks: AreaMark[];
  readonly firstArea: string;
}

const CHUNK = 200;
/** Line ids sent in one query: one protocol message stays well under what the embedded database takes (~100 KB crashed it). */
const MAX_ID_BYTES = 32_000;

const LINE_COLUMNS: Record<string, WeeklyFigure> = {
  lines_active: 'linesActive',
  active_at_week_end: 'activeAtWeekEnd',
  new_line: 'new',
  reactivated: 'reactivated',
  resurfaced: 'resurfaced',
  went_dormant: 'wentDormant',
  disrupted: 'disrupted',
  closed_type_1: 'closedType1',
  closed_type_2: 'closedType2',
};
const EVENT_COLUMNS: Record<string, WeeklyFigure> = {
  raids: 'raids',
  arrests: 'arrests',
  seizures: 'seizures',
  referrals: 'referrals',
  referrals_children: 'referralsChildren',
  referrals_adults: 'referralsAdults',
  referrals_criminal: 'referralsCriminal',
  referrals_sexual: 'referralsSexual',
  referrals_cuckooing: 'referralsCuckooing',
};

/** Each line counted once per flag (totals counted from the line rows). */
function distinctLineCounts(): string {
  const flag = (column: string) => (column === 'lines_active' ? 'active' : column);
  return Object.keys(LINE_COLUMNS)
    .map((c) => `count(DISTINCT line_id) FILTER (WHERE ${flag(c)})::integer AS ${c}`)
    .join(',\n         ');
}

/** The count tables' columns under the names the reads map (`active` is `lines_active`). */
const COUNT_READ = LINE_COUNT_COLUMNS.map((c) => (c === 'active' ? 'active AS lines_active' : c)).join(', ');

/**
 * Adds (sign 1) or takes away (sign -1) the contribution of the line-week rows of the CTE `rows`
 * to the count tables; locks rows in key order. `rows` holds whole lines' weeks: a line's rows for
 * one week are all in it, so its distinct count per week is right.
 */
function applyCounts(sign: 1 | -1): string {
  const set = LINE_COUNT_COLUMNS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ');
  const sums = LINE_COUNT_COLUMNS.map((c) => `${sign} * count(*) FILTER (WHERE ${c})`).join(', ');
  const list = LINE_COUNT_COLUMNS.join(', ');
  return `
    per_area AS (
      INSERT INTO area_week_line_counts AS t (week_start, area, ${list})
      SELECT week_start, area, ${sums} FROM rows GROUP BY week_start, area ORDER BY week_start, area
      ON CONFLICT (week_start, area) DO UPDATE SET ${set}
    )
    INSERT INTO week_line_totals AS t (week_start, ${list})
    SELECT week_start, ${sums}
    FROM (SELECT week_start, line_id, ${LINE_COUNT_COLUMNS.map((c) => `bool_or(${c}) AS ${c}`).join(', ')}
          FROM rows GROUP BY week_start, line_id) per_line
    GROUP BY week_start ORDER BY week_start
    ON CONFLICT (week_start) DO UPDATE SET ${set}`;
}

/** A line's weekly rows in statements of about `size` rows, never splitting one line's week. */
function parts(rows: readonly LineWeekFlags[], size: number): LineWeekFlags[][] {
  const out: LineWeekFlags[][] = [];
  let part: LineWeekFlags[] = [];
  for (const row of rows) {
    const previous = part[part.length - 1];
    const sameGroup = previous !== undefined && previous.lineId === row.lineId && previous.weekStart === row.weekStart;
    if (part.length >= size && !sameGroup) {
      out.push(part);
      part = [];
    }
    part.push(row);
  }
  if (part.length > 0) out.push(part);
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
function countsOf(row: any, columns: Record<string, WeeklyFigure>): Partial<Record<WeeklyFigure, number>> {
  return Object.fromEntries(Object.entries(columns).map(([column, figure]) => [figure, Number(row[column] ?? 0)]));
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const timescale = new WeakMap<Database, Promise<boolean>>();

/**
 * The weekly figures tables (migrations 1796083200006 and …007): line contributions kept up to
 * date for due lines with the per-area and per-week counts moved alongside, event counts refreshed
 * for the weeks read, and the reads the export serves.
 */
export class WeeklyFiguresRepository {
  /**
   * Up to `limit` lines whose weekly rows are due by `now`, each with the version of its mark (the
   * row's xmin: every marking writes a new version). Takes no lock: the refresh reads the lines'
   * sources without holding anything the tracker waits for, then `lockUnchanged` keeps the lines
   * nobody marked again meanwhile.
   */
  async dueLines(q: Queryable, now: Date, limit: number): Promise<{ lineId: string; version: string }[]> {
    const rows: { line_id: string; version: string }[] = await managerOf(q).query(
      `SELECT line_id, xmin::text AS version FROM line_week_refresh WHERE due_at <= $1 ORDER BY due_at, line_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ lineId: r.line_id, version: r.version }));
  }

  /**
   * Locks the marks of these lines that are still at the version read and still due; returns their
   * ids. A line marked again since (the tracker wrote its periods: what was read may be stale), or
   * held by another refresh, or already done, is left out and stays as it is.
   */
  async lockUnchanged(q: Tx, now: Date, lines: readonly { lineId: string; version: string }[]): Promise<string[]> {
    if (lines.length === 0) return [];
    const rows: { line_id: string; version: string }[] = await managerOf(q).query(
      `SELECT line_id, xmin::text AS version FROM line_week_refresh
       WHERE line_id = ANY($1::text[]) AND due_at <= $2 ORDER BY line_id FOR UPDATE SKIP LOCKED`,
      [lines.map((l) => l.lineId), now],
    );
    const read = new Map(lines.map((l) => [l.lineId, l.version]));
    return rows.filter((r) => read.get(r.line_id) === r.version).map((r) => r.line_id);
  }

  /** How many lines are due (for a progress line and for tests). */
  async dueCount(q: Queryable, now: Date): Promise<number> {
    const rows: { n: number }[] = await managerOf(q).query(`SELECT count(*)::integer AS n FROM line_week_refresh WHERE due_at <= $1`, [
      now,
    ]);
    return rows[0].n;
  }

  /**
   * Periods, area changes and first area of these lines. Of the area marks (effective sightings,
   * number changes and reopens, in event order) only those that change the area from the mark
   * before are sent back: the rest cut nothing (see the domain's `lineWeekFigures`), and a line
   * sighted a thousand times in one area has one.
   */
  async sources(q: Queryable, lineIds: readonly string[]): Promise<LineFigureSource[]> {
    const out: LineFigureSource[] = [];
    let group: string[] = [];
    let bytes = 0;
    for (const id of lineIds) {
      if (bytes + id.length + 3 > MAX_ID_BYTES && group.length > 0) {
        out.push(...(await this.sourcesOf(q, group)));
        group = [];
        bytes = 0;
      }
      group.push(id);
      bytes += id.length + 3;
    }
    if (group.length > 0) out.push(...(await this.sourcesOf(q, group)));
    return out;
  }

  private async sourcesOf(q: Queryable, ids: string[]): Promise<LineFigureSource[]> {
    const periods: {
      line_id: string;
      state: FigurePeriod['state'];
      valid_from: Date;
      valid_to: Date | null;
      transition: FigurePeriod['transition'];
      closure_type: number | null;
    }[] = await managerOf(q).query(
      `SELECT line_id, state, valid_from, valid_to, transition, closure_type
       FROM line_state_periods WHERE line_id = ANY($1::text[]) ORDER BY line_id, seq`,
      [ids],
    );
    // A merged line's events are its survivor's (issue 17): a line's area marks come from the
    // events of its whole family (itself and every alias resolving to it), one probe per member.
    const aliases: { alias_id: string; root_id: string }[] = await managerOf(q).query(
      `SELECT alias_id, root_id FROM line_aliases WHERE root_id = ANY($1::text[]) ORDER BY alias_id`,
      [ids],
    );
    const members = [...ids.map((id) => [id, id]), ...aliases.map((a) => [a.root_id, a.alias_id])];
    const marks: { line_id: string; occurred_at: Date; area: string }[] = await managerOf(q).query(
      `SELECT line_id, occurred_at, area FROM (
         SELECT d.line_id, e.occurred_at, e.area,
                lag(e.area) OVER w AS previous_area, row_number() OVER w AS ord
         FROM unnest($1::text[], $2::text[]) AS d(line_id, member)
         -- One index probe per member (OFFSET 0 keeps the planner from turning it into a scan of
         -- every event against the whole list: minutes at 10 M events, against ~5 ms a line).
         CROSS JOIN LATERAL (
           SELECT e.occurred_at, e.area, e.type, e.event_id FROM intel_events e
           WHERE e.line_ids && ARRAY[d.member]
             AND e.grading->>'intelligence' <> 'E'
             AND (e.type IN ('line.sighting', 'line.number_changed')
                  OR (e.type = 'line.assessed' AND e.payload->'body'->>'decision' = 'reopen'))
           OFFSET 0
         ) e
         WINDOW w AS (PARTITION BY d.line_id ORDER BY e.occurred_at,
                      CASE e.type WHEN 'line.sighting' THEN 0 WHEN 'line.number_changed' THEN 1 ELSE 2 END, e.event_id)
       ) m
       WHERE previous_area IS DISTINCT FROM area
       ORDER BY line_id, ord`,
      [members.map(([root]) => root), members.map(([, member]) => member)],
    );
    // The event that began a line's first period (its time is the period's start: one chunk on a hypertable).
    const first: { line_id: string; area: string | null }[] = await managerOf(q).query(
      `SELECT l.line_id, coalesce(e.area, l.area) AS area
       FROM lines l
       LEFT JOIN line_state_periods p ON p.line_id = l.line_id AND p.seq = 0
       LEFT JOIN intel_events e ON e.event_id = p.cause_event_id AND e.occurred_at = p.valid_from
       WHERE l.line_id = ANY($1::text[])`,
      [ids],
    );
    const firstArea = new Map(first.map((r) => [r.line_id, r.area ?? 'unknown']));
    const byLine = new Map<string, { periods: FigurePeriod[]; areaMarks: AreaMark[] }>(
      ids.map((id) => [id, { periods: [], areaMarks: [] }]),
    );
    for (const p of periods)
      byLine.get(p.line_id)?.periods.push({
        state: p.state,
        from: p.valid_from,
        to: p.valid_to,
        transition: p.transition,
        closureType: p.closure_type as 1 | 2 | null,
      });
    for (const m of marks) byLine.get(m.line_id)?.areaMarks.push({ at: m.occurred_at, area: m.area });
    return ids.map((lineId) => ({ lineId, ...byLine.get(lineId)!, firstArea: firstArea.get(lineId) ?? 'unknown' }));
  }

  /**
   * Replaces the weekly rows of these lines (their marks locked by `lockUnchanged`), moves the
   * count tables by the difference, and settles the marks (due again at `recheckAt`, or done).
   */
  async replace(q: Tx, lines: readonly { lineId: string; rows: readonly LineWeekFlags[]; recheckAt: Date | null }[]): Promise<void> {
    if (lines.length === 0) return;
    // Refreshes move the same count rows: one at a time, so two never wait on each other in turn.
    await managerOf(q).query(`SELECT pg_advisory_xact_lock(hashtext('line_week_counts'))`);
    for (let i = 0; i < lines.length; i += CHUNK) {
      const chunk = lines.slice(i, i + CHUNK);
      await managerOf(q).query(
        `WITH rows AS (DELETE FROM line_week_figures WHERE line_id = ANY($1::text[]) RETURNING *), ${applyCounts(-1)}`,
        [chunk.map((l) => l.lineId)],
      );
      for (const part of parts(
        chunk.flatMap((l) => l.rows),
        500,
      )) {
        const col = (f: (r: LineWeekFlags) => unknown) => part.map(f);
        await managerOf(q).query(
          `WITH rows AS (
             INSERT INTO line_week_figures (line_id, area, week_start, active, active_at_week_end, new_line, reactivated, resurfaced,
                                            went_dormant, disrupted, closed_type_1, closed_type_2)
             SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::boolean[], $5::boolean[], $6::boolean[], $7::boolean[],
                                  $8::boolean[], $9::boolean[], $10::boolean[], $11::boolean[], $12::boolean[])
             RETURNING *
           ), ${applyCounts(1)}`,
          [
            col((r) => r.lineId),
            col((r) => r.area),
            col((r) => r.weekStart),
            col((r) => r.flags.linesActive),
            col((r) => r.flags.activeAtWeekEnd),
            col((r) => r.flags.new),
            col((r) => r.flags.reactivated),
            col((r) => r.flags.resurfaced),
            col((r) => r.flags.wentDormant),
            col((r) => r.flags.disrupted),
            col((r) => r.flags.closedType1),
            col((r) => r.flags.closedType2),
          ],
        );
      }
      const done = chunk.filter((l) => l.recheckAt === null).map((l) => l.lineId);
      const later = chunk.filter((l) => l.recheckAt !== null);
      if (done.length > 0) await managerOf(q).query(`DELETE FROM line_week_refresh WHERE line_id = ANY($1::text[])`, [done]);
      if (later.length > 0)
        await managerOf(q).query(
          `UPDATE line_week_refresh r SET due_at = u.due_at FROM unnest($1::text[], $2::timestamptz[]) AS u(line_id, due_at)
           WHERE r.line_id = u.line_id`,
          [later.map((l) => l.lineId), later.map((l) => l.recheckAt)],
        );
    }
  }

  /**
   * Brings the event counts of the weeks in [start, end) up to date (week-aligned instants).
   * TimescaleDB: refresh the continuous aggregate — outside any transaction (timescaledb#2389),
   * so this takes the Database, not a transaction. Plain PostgreSQL: re-count the weeks marked
   * since the last refresh.
   */
  async refreshEventCounts(database: Database, start: Date, end: Date): Promise<void> {
    if (!timescale.has(database)) timescale.set(database, hasTimescale(database));
    if (await timescale.get(database)) {
      // Literal bounds: CALL with bind parameters goes through an implicit transaction block on some drivers.
      await database.autocommit((q) =>
        managerOf(q).query(
          `CALL refresh_continuous_aggregate('weekly_event_counts', '${start.toISOString()}'::timestamptz, '${end.toISOString()}'::timestamptz)`,
        ),
      );
      return;
    }
    await database.transaction(async (tx) => {
      const marks: { seq: string; week_start: Date }[] = await managerOf(tx).query(
        `SELECT seq, week_start FROM weekly_event_invalidations WHERE week_start >= $1 AND week_start < $2`,
        [start, end],
      );
      if (marks.length === 0) return;
      const weeks = [...new Set(marks.map((m) => m.week_start.toISOString()))];
      // One refresh of these weeks at a time (a second waits, then finds nothing left to do).
      await managerOf(tx).query(`SELECT pg_advisory_xact_lock(hashtext('weekly_event_counts'))`);
      await managerOf(tx).query(`DELETE FROM weekly_event_counts WHERE week_start = ANY($1::timestamptz[])`, [weeks]);
      await managerOf(tx).query(
        `INSERT INTO weekly_event_counts (area, week_start, raids, arrests, seizures, referrals, referrals_children, referrals_adults,
                                          referrals_criminal, referrals_sexual, referrals_cuckooing)
         SELECT area, date_trunc('week', occurred_at, 'Europe/London') AS week_start,
           count(*) FILTER (WHERE type = 'enforcement.raid'),
           count(*) FILTER (WHERE type = 'enforcement.arrest'),
           count(*) FILTER (WHERE type = 'enforcement.seizure'),
           count(*) FILTER (WHERE type = 'safeguarding.referral'),
           count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->>'subject' = 'child'),
           count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->>'subject' = 'adult'),
           count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["criminal"]'),
           count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["sexual"]'),
           count(*) FILTER (WHERE type = 'safeguarding.referral' AND payload->'body'->'exploitation' @> '["cuckooing"]')
         FROM intel_events
         WHERE type IN ('enforcement.raid', 'enforcement.arrest', 'enforcement.seizure', 'safeguarding.referral')
           AND occurred_at >= (SELECT min(w) FROM unnest($1::timestamptz[]) w)
           AND occurred_at < (SELECT max(w) FROM unnest($1::timestamptz[]) w) + INTERVAL '8 days'
           AND date_trunc('week', occurred_at, 'Europe/London') = ANY($1::timestamptz[])
         GROUP BY 1, 2`,
        [weeks],
      );
      await managerOf(tx).query(`DELETE FROM weekly_event_invalidations WHERE seq = ANY($1::bigint[])`, [marks.map((m) => m.seq)]);
    });
  }

  /** Line figures per area and week for local week starts in [fromWeek, toWeek) (YYYY-MM-DD). */
  async lineCounts(q: Queryable, fromWeek: string, toWeek: string): Promise<WeekCounts[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT area, week_start::text AS week_start, ${COUNT_READ}
       FROM area_week_line_counts WHERE week_start >= $1::date AND week_start < $2::date`,
      [fromWeek, toWeek],
    );
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    return rows.map((r: any) => ({ area: r.area, weekStart: r.week_start, counts: countsOf(r, LINE_COLUMNS) }));
  }

  /**
   * Line figures per week over the given areas, each line counted once (a line active in two areas
   * is one line). From the totals table when every area with lines in the range is one of them;
   * else (an area no longer configured) counted from the line rows of those areas.
   */
  async lineTotals(q: Queryable, fromWeek: string, toWeek: string, areas: readonly string[]): Promise<WeekCounts[]> {
    const others: unknown[] = await managerOf(q).query(
      `SELECT 1 FROM area_week_line_counts
       WHERE week_start >= $1::date AND week_start < $2::date AND area <> ALL($3::text[])
         AND (${LINE_COUNT_COLUMNS.join(' + ')}) > 0
       LIMIT 1`,
      [fromWeek, toWeek, [...areas]],
    );
    const rows: unknown[] =
      others.length === 0
        ? await managerOf(q).query(
            `SELECT week_start::text AS week_start, ${COUNT_READ}
             FROM week_line_totals WHERE week_start >= $1::date AND week_start < $2::date`,
            [fromWeek, toWeek],
          )
        : await managerOf(q).query(
            `SELECT week_start::text AS week_start,
               ${distinctLineCounts()}
             FROM line_week_figures WHERE week_start >= $1::date AND week_start < $2::date AND area = ANY($3::text[])
             GROUP BY week_start`,
            [fromWeek, toWeek, [...areas]],
          );
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    return rows.map((r: any) => ({ area: '', weekStart: r.week_start, counts: countsOf(r, LINE_COLUMNS) }));
  }

  /**
   * Closure check-back figures per area (the closure's) and week (docs/exports.md): `checkBacksDone`
   * recorded with `checkedAt` in the week; `checkBacksOverdue` due before the week's end and, at its
   * end, neither recorded (checkedAt) nor cancelled (when the tracker cancelled it). Read from
   * `line_check_backs` directly (a handful of rows per Type 1 closure) and from what erased lines
   * left of theirs (`erased_check_backs`: no line, figures only), so an erasure changes no week.
   */
  async checkBackCounts(
    q: Queryable,
    weeks: readonly { readonly weekStart: string; readonly start: Date; readonly end: Date }[],
  ): Promise<WeekCounts[]> {
    if (weeks.length === 0) return [];
    const rows: { area: string; week_start: string; done: number; overdue: number }[] = await managerOf(q).query(
      `SELECT c.area, w.week_start,
              count(*) FILTER (WHERE c.status = 'done' AND c.checked_at >= w.start_at AND c.checked_at < w.end_at)::integer AS done,
              count(*) FILTER (WHERE c.due_at < w.end_at
                AND coalesce(CASE c.status WHEN 'done' THEN c.checked_at WHEN 'cancelled' THEN c.updated_at END, 'infinity') >= w.end_at
              )::integer AS overdue
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS w(week_start, start_at, end_at)
       JOIN (SELECT area, due_at, status, checked_at, updated_at FROM line_check_backs
             UNION ALL
             SELECT area, due_at, status, checked_at, cancelled_at FROM erased_check_backs) c
         ON c.area IS NOT NULL AND c.due_at < w.end_at
       GROUP BY c.area, w.week_start`,
      [weeks.map((w) => w.weekStart), weeks.map((w) => w.start), weeks.map((w) => w.end)],
    );
    return rows
      .filter((r) => r.done > 0 || r.overdue > 0)
      .map((r) => ({
        area: r.area,
        weekStart: r.week_start,
        counts: { checkBacksDone: Number(r.done), checkBacksOverdue: Number(r.overdue) },
      }));
  }

  /** Event counts per area and week for weeks starting in [start, end) (instants of local Mondays). */
  async eventCounts(q: Queryable, start: Date, end: Date): Promise<WeekCounts[]> {
    const rows: unknown[] = await managerOf(q).query(
      // Plus what erased events contributed (kept as counts by the erasure job): an erasure leaves the figures as they were.
      `SELECT area, to_char(week_start AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS week_start,
              ${Object.keys(EVENT_COLUMNS)
                .map((c) => `sum(${c})::integer AS ${c}`)
                .join(', ')}
       FROM (SELECT area, week_start, ${Object.keys(EVENT_COLUMNS).join(', ')} FROM weekly_event_counts
             WHERE week_start >= $1 AND week_start < $2
             UNION ALL
             SELECT area, week_start, ${Object.keys(EVENT_COLUMNS).join(', ')} FROM erased_event_counts
             WHERE week_start >= $1 AND week_start < $2) c
       GROUP BY area, week_start`,
      [start, end],
    );
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    return rows.map((r: any) => ({ area: r.area, weekStart: r.week_start, counts: countsOf(r, EVENT_COLUMNS) }));
  }
}
