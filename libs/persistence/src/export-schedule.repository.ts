import { managerOf, type Queryable } from './database';

export interface ScheduleRun {
  readonly job: string;
  /** The local Monday of the last week the job completed (YYYY-MM-DD), null before its first run. */
  readonly lastWeekStart: string | null;
  readonly lastRunAt: Date | null;
}

/**
 * The weekly export job's row (`export_schedule_runs`): which week it last completed, and a lease
 * so that of several api replicas one runs it — the others find the lease held, or the week done.
 */
export class ExportScheduleRepository {
  /**
   * Takes the lease for `holder` until `leaseUntil` when it is free (never taken, expired, or
   * already this holder's). Returns the job's state, or null when another holder has it.
   */
  async acquire(q: Queryable, job: string, holder: string, now: Date, leaseUntil: Date): Promise<ScheduleRun | null> {
    await managerOf(q).query(`INSERT INTO export_schedule_runs (job) VALUES ($1) ON CONFLICT (job) DO NOTHING`, [job]);
    const rows: { job: string; last_week_start: string | null; last_run_at: Date | null }[] = await managerOf(q).query(
      // Inside a CTE so the driver answers with rows (TypeORM gives [rows, count] for a bare UPDATE … RETURNING).
      `WITH taken AS (
         UPDATE export_schedule_runs SET holder = $2, lease_until = $4
         WHERE job = $1 AND (holder IS NULL OR lease_until IS NULL OR lease_until <= $3 OR holder = $2)
         RETURNING job, last_week_start, last_run_at)
       SELECT job, to_char(last_week_start, 'YYYY-MM-DD') AS last_week_start, last_run_at FROM taken`,
      [job, holder, now, leaseUntil],
    );
    const row = rows[0];
    return row ? { job: row.job, lastWeekStart: row.last_week_start, lastRunAt: row.last_run_at } : null;
  }

  /** Records a completed week and frees the lease (only if this holder still has it). */
  async complete(q: Queryable, job: string, holder: string, weekStart: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await managerOf(q).query(
      `WITH done AS (
         UPDATE export_schedule_runs SET last_week_start = $3::date, last_run_at = $4, holder = NULL, lease_until = NULL
         WHERE job = $1 AND holder = $2 RETURNING job)
       SELECT job FROM done`,
      [job, holder, weekStart, at],
    );
    return rows.length > 0;
  }

  /** Frees the lease without recording a run (the run failed; the next tick tries again). */
  async release(q: Queryable, job: string, holder: string): Promise<void> {
    await managerOf(q).query(`UPDATE export_schedule_runs SET holder = NULL, lease_until = NULL WHERE job = $1 AND holder = $2`, [
      job,
      holder,
    ]);
  }

  async state(q: Queryable, job: string): Promise<ScheduleRun | null> {
    const rows: { job: string; last_week_start: string | null; last_run_at: Date | null }[] = await managerOf(q).query(
      `SELECT job, to_char(last_week_start, 'YYYY-MM-DD') AS last_week_start, last_run_at FROM export_schedule_runs WHERE job = $1`,
      [job],
    );
    const row = rows[0];
    return row ? { job: row.job, lastWeekStart: row.last_week_start, lastRunAt: row.last_run_at } : null;
  }
}
