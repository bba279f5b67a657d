import type { AreaMark, FigurePeriod, LineWeekFlags, WeekCounts, WeeklyFigure } from '@linewatch/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { hasTimescale } from './capabilities';

/** What the weekly rule needs of one line (see the domain's `lineWeekFigures`). */
export interface LineFigureSource {
  readonly lineId: string;
  readonly periods: FigurePeriod[];
  readonly areaMarks: AreaMark[];
  readonly firstArea: string;
}

const CHUNK = 200;

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

/** count(*) FILTER per flag; `distinct` counts each line once (the all-areas totals). */
function lineAggregates(distinct: boolean): string {
  const flag = (column: string) => (column === 'lines_active' ? 'active' : column);
  return Object.keys(LINE_COLUMNS)
    .map((c) => `count(${distinct ? 'DISTINCT line_id' : '*'}) FILTER (WHERE ${flag(c)})::integer AS ${c}`)
    .join(',\n         ');
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
function countsOf(row: any, columns: Record<string, WeeklyFigure>): Partial<Record<WeeklyFigure, number>> {
  return Object.fromEntries(Object.entries(columns).map(([column, figure]) => [figure, Number(row[column] ?? 0)]));
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const timescale = new WeakMap<DataSource, Promise<boolean>>();

/**
 * The weekly figures tables (migration 1796083200006): line contributions kept up to date for
 * due lines, event counts refreshed for the weeks read, and the grouped reads the export serves.
 */
export class WeeklyFiguresRepository {
  /** Up to `limit` lines whose weekly rows are due by `now`, locked; lines another refresh holds are skipped. */
  async claimDueLines(manager: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: { line_id: string }[] = await manager.query(
      `SELECT line_id FROM line_week_refresh WHERE due_at <= $1 ORDER BY due_at, line_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => r.line_id);
  }

  /** How many lines are due (for a progress line and for tests). */
  async dueCount(manager: EntityManager, now: Date): Promise<number> {
    const rows: { n: number }[] = await manager.query(`SELECT count(*)::integer AS n FROM line_week_refresh WHERE due_at <= $1`, [now]);
    return rows[0].n;
  }

  /** Periods, area marks (effective sightings, number changes and reopens, in event order) and first area of these lines. */
  async sources(manager: EntityManager, lineIds: readonly string[]): Promise<LineFigureSource[]> {
    if (lineIds.length === 0) return [];
    const ids = [...lineIds];
    const periods: {
      line_id: string;
      state: FigurePeriod['state'];
      valid_from: Date;
      valid_to: Date | null;
      transition: FigurePeriod['transition'];
      closure_type: number | null;
    }[] = await manager.query(
      `SELECT line_id, state, valid_from, valid_to, transition, closure_type
       FROM line_state_periods WHERE line_id = ANY($1::text[]) ORDER BY line_id, seq`,
      [ids],
    );
    const marks: { line_id: string; occurred_at: Date; area: string }[] = await manager.query(
      `SELECT l.line_id, e.occurred_at, e.area
       FROM intel_events e CROSS JOIN LATERAL unnest(e.line_ids) AS l(line_id)
       WHERE e.line_ids && $1::text[] AND l.line_id = ANY($1::text[])
         AND e.grading->>'intelligence' <> 'E'
         AND (e.type IN ('line.sighting', 'line.number_changed')
              OR (e.type = 'line.assessed' AND e.payload->'body'->>'decision' = 'reopen'))
       ORDER BY l.line_id, e.occurred_at,
                CASE e.type WHEN 'line.sighting' THEN 0 WHEN 'line.number_changed' THEN 1 ELSE 2 END, e.event_id`,
      [ids],
    );
    // The event that began a line's first period (its time is the period's start: one chunk on a hypertable).
    const first: { line_id: string; area: string | null }[] = await manager.query(
      `SELECT l.line_id, coalesce(e.area, l.area) AS area
       FROM lines l
       LEFT JOIN line_state_periods p ON p.line_id = l.line_id AND p.seq = 0
       LEFT JOIN intel_events e ON e.event_id = p.cause_event_id AND e.occurred_at = p.valid_from
       WHERE l.line_id = ANY($1::text[])`,
      [ids],
    );
    const firstArea = new Map(first.map((r) => [r.line_id, r.area ?? 'unknown']));
    return ids.map((lineId) => ({
      lineId,
      periods: periods
        .filter((p) => p.line_id === lineId)
        .map((p) => ({
          state: p.state,
          from: p.valid_from,
          to: p.valid_to,
          transition: p.transition,
          closureType: p.closure_type as 1 | 2 | null,
        })),
      areaMarks: marks.filter((m) => m.line_id === lineId).map((m) => ({ at: m.occurred_at, area: m.area })),
      firstArea: firstArea.get(lineId) ?? 'unknown',
    }));
  }

  /** Replaces the weekly rows of these lines and settles their refresh marks (due again at `recheckAt`, or done). */
  async replace(
    manager: EntityManager,
    lines: readonly { lineId: string; rows: readonly LineWeekFlags[]; recheckAt: Date | null }[],
  ): Promise<void> {
    for (let i = 0; i < lines.length; i += CHUNK) {
      const chunk = lines.slice(i, i + CHUNK);
      await manager.query(`DELETE FROM line_week_figures WHERE line_id = ANY($1::text[])`, [chunk.map((l) => l.lineId)]);
      const rows = chunk.flatMap((l) => l.rows);
      for (let j = 0; j < rows.length; j += 500) {
        const part = rows.slice(j, j + 500);
        const col = (f: (r: LineWeekFlags) => unknown) => part.map(f);
        await manager.query(
          `INSERT INTO line_week_figures (line_id, area, week_start, active, active_at_week_end, new_line, reactivated, resurfaced,
                                          went_dormant, disrupted, closed_type_1, closed_type_2)
           SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::boolean[], $5::boolean[], $6::boolean[], $7::boolean[],
                                $8::boolean[], $9::boolean[], $10::boolean[], $11::boolean[], $12::boolean[])`,
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
      if (done.length > 0) await manager.query(`DELETE FROM line_week_refresh WHERE line_id = ANY($1::text[])`, [done]);
      if (later.length > 0)
        await manager.query(
          `UPDATE line_week_refresh r SET due_at = u.due_at FROM unnest($1::text[], $2::timestamptz[]) AS u(line_id, due_at)
           WHERE r.line_id = u.line_id`,
          [later.map((l) => l.lineId), later.map((l) => l.recheckAt)],
        );
    }
  }

  /**
   * Brings the event counts of the weeks in [start, end) up to date (week-aligned instants).
   * TimescaleDB: refresh the continuous aggregate — outside any transaction (timescaledb#2389),
   * so this takes the data source, not a manager. Plain PostgreSQL: re-count the weeks marked
   * since the last refresh.
   */
  async refreshEventCounts(dataSource: DataSource, start: Date, end: Date): Promise<void> {
    if (!timescale.has(dataSource)) timescale.set(dataSource, hasTimescale(dataSource));
    if (await timescale.get(dataSource)) {
      // Literal bounds: CALL with bind parameters goes through an implicit transaction block on some drivers.
      await dataSource.query(
        `CALL refresh_continuous_aggregate('weekly_event_counts', '${start.toISOString()}'::timestamptz, '${end.toISOString()}'::timestamptz)`,
      );
      return;
    }
    await dataSource.transaction(async (manager) => {
      const marks: { seq: string; week_start: Date }[] = await manager.query(
        `SELECT seq, week_start FROM weekly_event_invalidations WHERE week_start >= $1 AND week_start < $2`,
        [start, end],
      );
      if (marks.length === 0) return;
      const weeks = [...new Set(marks.map((m) => m.week_start.toISOString()))];
      // One refresh of these weeks at a time (a second waits, then finds nothing left to do).
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('weekly_event_counts'))`);
      await manager.query(`DELETE FROM weekly_event_counts WHERE week_start = ANY($1::timestamptz[])`, [weeks]);
      await manager.query(
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
      await manager.query(`DELETE FROM weekly_event_invalidations WHERE seq = ANY($1::bigint[])`, [marks.map((m) => m.seq)]);
    });
  }

  /** Line figures per area and week for local week starts in [fromWeek, toWeek) (YYYY-MM-DD). */
  async lineCounts(manager: EntityManager, fromWeek: string, toWeek: string): Promise<WeekCounts[]> {
    const rows: unknown[] = await manager.query(
      `SELECT area, week_start::text AS week_start,
         ${lineAggregates(false)}
       FROM line_week_figures WHERE week_start >= $1::date AND week_start < $2::date
       GROUP BY area, week_start`,
      [fromWeek, toWeek],
    );
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    return rows.map((r: any) => ({ area: r.area, weekStart: r.week_start, counts: countsOf(r, LINE_COLUMNS) }));
  }

  /** Line figures per week over the given areas, each line counted once (a line active in two areas is one line). */
  async lineTotals(manager: EntityManager, fromWeek: string, toWeek: string, areas: readonly string[]): Promise<WeekCounts[]> {
    const rows: unknown[] = await manager.query(
      `SELECT week_start::text AS week_start,
         ${lineAggregates(true)}
       FROM line_week_figures WHERE week_start >= $1::date AND week_start < $2::date AND area = ANY($3::text[])
       GROUP BY week_start`,
      [fromWeek, toWeek, [...areas]],
    );
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    return rows.map((r: any) => ({ area: '', weekStart: r.week_start, counts: countsOf(r, LINE_COLUMNS) }));
  }

  /** Event counts per area and week for weeks starting in [start, end) (instants of local Mondays). */
  async eventCounts(manager: EntityManager, start: Date, end: Date): Promise<WeekCounts[]> {
    const rows: unknown[] = await manager.query(
      `SELECT area, to_char(week_start AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS week_start, ${Object.keys(EVENT_COLUMNS).join(', ')}
       FROM weekly_event_counts WHERE week_start >= $1 AND week_start < $2`,
      [start, end],
    );
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    return rows.map((r: any) => ({ area: r.area, weekStart: r.week_start, counts: countsOf(r, EVENT_COLUMNS) }));
  }
}
