import type { AlertSeverityV1 } from '@linewatch/contracts';
import type { LineState } from '@linewatch/domain';
import { scopeParams, type AreaScope } from './area-scope';
import { managerOf, type Queryable } from './database';

export interface LineFigures {
  /** Lines by area and state; a line in two areas counts in each, and only areas in scope are counted. */
  readonly byAreaAndState: { readonly area: string; readonly state: LineState; readonly count: number }[];
  /** Lines changed (updated by the tracker) since `changedSince`: what `GET /v1/lines?changedSince=` lists. */
  readonly changed: number;
  /** Lines whose review falls due by `dueBy` (the rule of `dueForReview`). */
  readonly reviewsDue: number;
}

export interface OpenAlertFigures {
  readonly severity: AlertSeverityV1;
  readonly total: number;
  readonly underHour: number;
  readonly underDay: number;
  readonly older: number;
}

/**
 * The counts of the dashboard's home view, in a reader's scope: one statement over lines and one over
 * open alerts, each a grouped count (no row per line or alert leaves the database). The scope's
 * clauses are those of `LineQueriesRepository` and `AlertsRepository`, so each figure is the size of
 * the list the same filter answers there.
 */
export class OverviewRepository {
  async lines(
    q: Queryable,
    scope: AreaScope,
    at: { readonly changedSince: Date; readonly dueBy: Date },
    review: { readonly intervalDays: number },
  ): Promise<LineFigures> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
    const rows: any[] = await managerOf(q).query(
      `WITH scoped AS (
         SELECT l.state, l.areas, l.updated_at, l.merged_into,
                coalesce(l.review_due_at, l.created_at + make_interval(days => $5::int)) AS review_due
         FROM lines l WHERE ($1::boolean OR l.areas && $2::text[]))
       SELECT 'state' AS figure, a.area, s.state, count(*)::int AS n
         FROM scoped s CROSS JOIN LATERAL unnest(s.areas) AS a(area)
         WHERE s.state IS NOT NULL AND s.merged_into IS NULL AND ($1::boolean OR a.area = ANY($2::text[]))
         GROUP BY a.area, s.state
       UNION ALL
       SELECT 'changed', NULL, NULL, count(*)::int FROM scoped s
         WHERE s.state IS NOT NULL AND s.merged_into IS NULL AND s.updated_at >= $3
       UNION ALL
       SELECT 'reviews', NULL, NULL, count(*)::int FROM scoped s WHERE s.review_due <= $4`,
      [...scopeParams(scope), at.changedSince, at.dueBy, review.intervalDays],
    );
    const figure = (name: string) => Number(rows.find((r) => r.figure === name)?.n ?? 0);
    return {
      byAreaAndState: rows
        .filter((r) => r.figure === 'state')
        .map((r) => ({ area: r.area, state: r.state, count: Number(r.n) }))
        .sort((a, b) => a.area.localeCompare(b.area) || a.state.localeCompare(b.state)),
      changed: figure('changed'),
      reviewsDue: figure('reviews'),
    };
  }

  /** Open alerts (raised or delivered) by severity, and by age at `now`: under an hour, under a day, older. */
  async openAlerts(q: Queryable, scope: AreaScope, now: Date): Promise<OpenAlertFigures[]> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
    const rows: any[] = await managerOf(q).query(
      `SELECT a.severity, count(*)::int AS total,
              count(*) FILTER (WHERE a.raised_at > $3::timestamptz - interval '1 hour')::int AS under_hour,
              count(*) FILTER (WHERE a.raised_at <= $3::timestamptz - interval '1 hour'
                                 AND a.raised_at > $3::timestamptz - interval '1 day')::int AS under_day,
              count(*) FILTER (WHERE a.raised_at <= $3::timestamptz - interval '1 day')::int AS older
       FROM alerts a
       WHERE ($1::boolean OR a.areas && $2::text[]) AND a.status IN ('raised', 'delivered')
       GROUP BY a.severity`,
      [...scopeParams(scope), now],
    );
    return rows.map((r) => ({
      severity: r.severity,
      total: Number(r.total),
      underHour: Number(r.under_hour),
      underDay: Number(r.under_day),
      older: Number(r.older),
    }));
  }
}
