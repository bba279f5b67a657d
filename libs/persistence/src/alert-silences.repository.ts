import { managerOf, type Queryable } from './database';
import { scopeParams, type AreaScope } from './area-scope';
import { returnedRows } from './returned-rows';

export interface SilenceRow {
  readonly silenceId: string;
  readonly lineId: string | null;
  readonly area: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly reason: string;
  readonly createdBy: string;
}

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
const silenceRow = (r: any): SilenceRow => ({
  silenceId: r.silence_id,
  lineId: r.line_id,
  area: r.area,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdBy: r.created_by,
});

/** Silences: an area's or a line's alerts raised as silenced (no deliveries) while one is in force. */
export class AlertSilencesRepository {
  async active(q: Queryable, now: Date): Promise<SilenceRow[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM alert_silences WHERE cancelled_at IS NULL AND starts_at <= $1 AND ends_at > $1 ORDER BY created_at`,
      [now],
    );
    return rows.map(silenceRow);
  }

  /** Silences in force or to come, in scope: an area's, or a line's whose areas are in scope. */
  async list(q: Queryable, now: Date, scope: AreaScope): Promise<SilenceRow[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT s.* FROM alert_silences s
       WHERE s.cancelled_at IS NULL AND s.ends_at > $3
         AND ($1::boolean OR s.area = ANY($2::text[])
              OR EXISTS (SELECT 1 FROM lines l WHERE l.line_id = s.line_id AND l.areas && $2::text[]))
       ORDER BY s.starts_at`,
      [...scopeParams(scope), now],
    );
    return rows.map(silenceRow);
  }

  async insert(q: Queryable, silence: SilenceRow): Promise<void> {
    await managerOf(q).query(
      `INSERT INTO alert_silences (silence_id, line_id, area, starts_at, ends_at, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [silence.silenceId, silence.lineId, silence.area, silence.startsAt, silence.endsAt, silence.reason, silence.createdBy],
    );
  }

  async cancel(q: Queryable, silenceId: string, by: string, at: Date): Promise<boolean> {
    const rows = returnedRows(
      await managerOf(q).query(
        `UPDATE alert_silences SET cancelled_at = $3, cancelled_by = $2 WHERE silence_id = $1 AND cancelled_at IS NULL RETURNING silence_id`,
        [silenceId, by, at],
      ),
    );
    return rows.length > 0;
  }
}
