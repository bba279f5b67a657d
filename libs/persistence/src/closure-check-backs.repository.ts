import type { CheckBackDueV1 } from '@linewatch/contracts';
import { daysOverdue, type CheckBackSchedule } from '@linewatch/domain';
import { scopeParams, type AreaScope } from './area-scope';
import { managerOf, type Queryable, type Tx } from './database';

export type CheckBackStatus = 'scheduled' | 'done' | 'cancelled';
export type CheckBackOutcome = 'out_of_use' | 'in_use';

export interface CheckBackRow {
  readonly checkBackId: string;
  readonly lineId: string;
  readonly closureEventId: string;
  readonly closedAt: Date;
  readonly offsetDays: number;
  readonly dueAt: Date;
  readonly status: CheckBackStatus;
  readonly outcome: CheckBackOutcome | null;
  readonly checkedAt: Date | null;
  readonly recordedAt: Date | null;
  readonly recordedBy: string | null;
  readonly rationale: string | null;
  readonly sightingEventId: string | null;
}

/** A scheduled check-back due by a date, with its line's area (the due list, and reminders). */
export interface CheckBackDue {
  readonly checkBackId: string;
  readonly lineId: string;
  readonly area: string | null;
  readonly areas: string[];
  readonly closureEventId: string;
  readonly closedAt: Date;
  readonly offsetDays: number;
  readonly dueAt: Date;
}

/** A check-back due as the API and the reminder's webhook show it (checkBackDueV1), overdue in whole days at `now`. */
export function checkBackDueV1Of(due: CheckBackDue, now: Date): CheckBackDueV1 {
  return {
    checkBackId: due.checkBackId,
    lineId: due.lineId,
    area: due.area,
    areas: due.areas,
    closureEventId: due.closureEventId,
    closedAt: due.closedAt.toISOString(),
    offsetDays: due.offsetDays,
    dueAt: due.dueAt.toISOString(),
    daysOverdue: daysOverdue(due.dueAt, now),
  };
}

export interface CheckBackRecord {
  readonly checkBackId: string;
  readonly outcome: CheckBackOutcome;
  readonly checkedAt: Date;
  readonly recordedAt: Date;
  readonly recordedBy: string;
  readonly rationale: string;
  /** With `in_use`: the sighting event published for it. */
  readonly sightingEventId: string | null;
}

/** The one reminder of an overdue check-back, as claimed by a sender. */
export interface ClaimedReminder {
  readonly checkBackId: string;
  readonly reminderId: string;
  /** `<recipientId>/<channel>` keys already sent. */
  readonly sentTo: readonly string[];
  readonly attempts: number;
}

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
const rowOf = (r: any): CheckBackRow => ({
  checkBackId: r.check_back_id,
  lineId: r.line_id,
  closureEventId: r.closure_event_id,
  closedAt: r.closed_at,
  offsetDays: Number(r.offset_days),
  dueAt: r.due_at,
  status: r.status,
  outcome: r.outcome,
  checkedAt: r.checked_at,
  recordedAt: r.recorded_at,
  recordedBy: r.recorded_by,
  rationale: r.rationale,
  sightingEventId: r.sighting_event_id,
});

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
const dueOf = (r: any): CheckBackDue => ({
  checkBackId: r.check_back_id,
  lineId: r.line_id,
  area: r.area,
  areas: r.areas ?? [],
  closureEventId: r.closure_event_id,
  closedAt: r.closed_at,
  offsetDays: Number(r.offset_days),
  dueAt: r.due_at,
});

const IN_SCOPE = '($1::boolean OR l.areas && $2::text[])';

/**
 * Closure check-backs (`line_check_backs`) and their reminders (`check_back_reminders`): the
 * schedule the tracker derives from each saved timeline, the analysts' records, the due list, and
 * the lease and record that make one reminder per overdue check-back across replicas and restarts.
 */
export class ClosureCheckBacksRepository {
  /**
   * Brings the stored schedule of these lines in line with their timelines (in the tracker's
   * transaction, the lines locked): each schedule's check-backs are written once (the unique key;
   * a cancelled one is revived), and every other check-back still scheduled on these lines —
   * another closure's, or an offset no longer configured — is cancelled. `schedule` null: the line
   * is not closed by a Type 1 closure now, so none stays scheduled. Done check-backs are history
   * and never touched.
   */
  async sync(
    q: Tx,
    lines: readonly { readonly lineId: string; readonly schedule: CheckBackSchedule | null }[],
    offsetsDays: readonly number[],
  ): Promise<void> {
    if (lines.length === 0) return;
    const rows = lines.flatMap(({ schedule }) =>
      schedule === null ? [] : schedule.checkBacks.map((c) => ({ schedule, offsetDays: c.offsetDays, dueAt: c.dueAt })),
    );
    if (rows.length > 0)
      await managerOf(q).query(
        `INSERT INTO line_check_backs (check_back_id, line_id, area, closure_event_id, closed_at, offset_days, due_at, created_at, updated_at)
         SELECT gen_random_uuid(), u.line_id,
                -- The closure's own area (its key: the closure started the period, so it occurred at closed_at).
                coalesce((SELECT e.area FROM intel_events e WHERE e.event_id = u.closure_event_id AND e.occurred_at = u.closed_at),
                         (SELECT l.area FROM lines l WHERE l.line_id = u.line_id)),
                u.closure_event_id, u.closed_at, u.offset_days, u.due_at, now(), now()
         FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::integer[], $5::timestamptz[])
           AS u(line_id, closure_event_id, closed_at, offset_days, due_at)
         ON CONFLICT (line_id, closure_event_id, offset_days)
           DO UPDATE SET status = 'scheduled', updated_at = EXCLUDED.updated_at WHERE line_check_backs.status = 'cancelled'`,
        [
          rows.map((r) => r.schedule.lineId),
          rows.map((r) => r.schedule.closureEventId),
          rows.map((r) => r.schedule.closedAt),
          rows.map((r) => r.offsetDays),
          rows.map((r) => r.dueAt),
        ],
      );
    await managerOf(q).query(
      `UPDATE line_check_backs c SET status = 'cancelled', updated_at = now()
       FROM unnest($1::text[], $2::uuid[]) AS u(line_id, closure_event_id)
       WHERE c.line_id = u.line_id AND c.status = 'scheduled'
         AND (c.closure_event_id IS DISTINCT FROM u.closure_event_id OR NOT (c.offset_days = ANY($3::integer[])))`,
      [lines.map((l) => l.lineId), lines.map((l) => l.schedule?.closureEventId ?? null), [...offsetsDays]],
    );
  }

  /** Every check-back of a line (any status), by due date. */
  async ofLine(q: Queryable, lineId: string): Promise<CheckBackRow[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM line_check_backs WHERE line_id = $1 ORDER BY closed_at, due_at, check_back_id`,
      [lineId],
    );
    return rows.map(rowOf);
  }

  /** Locks one check-back of a line (null when it is not this line's). */
  async lockOne(q: Tx, lineId: string, checkBackId: string): Promise<CheckBackRow | null> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM line_check_backs WHERE line_id = $1 AND check_back_id = $2 FOR UPDATE`,
      [lineId, checkBackId],
    );
    return rows.length === 0 ? null : rowOf(rows[0]);
  }

  /** Records an analyst's check-back (only a scheduled one: the row must be locked by `lockOne`); null when it was not scheduled. */
  async record(q: Tx, record: CheckBackRecord): Promise<CheckBackRow | null> {
    const rows: unknown[] = await managerOf(q).query(
      `WITH done AS (
         UPDATE line_check_backs SET status = 'done', outcome = $2, checked_at = $3, recorded_at = $4, recorded_by = $5,
                rationale = $6, sighting_event_id = $7, updated_at = $4
         WHERE check_back_id = $1 AND status = 'scheduled' RETURNING *)
       SELECT * FROM done`,
      [
        record.checkBackId,
        record.outcome,
        record.checkedAt,
        record.recordedAt,
        record.recordedBy,
        record.rationale,
        record.sightingEventId,
      ],
    );
    return rows.length === 0 ? null : rowOf(rows[0]);
  }

  /** Scheduled check-backs due by `by` on lines in scope (not merged away), earliest first, by pages. */
  async due(
    q: Queryable,
    scope: AreaScope,
    by: Date,
    page: { readonly limit: number; readonly after?: { readonly dueAt: Date; readonly checkBackId: string } },
  ): Promise<CheckBackDue[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT c.check_back_id, c.line_id, l.area, l.areas, c.closure_event_id, c.closed_at, c.offset_days, c.due_at
       FROM line_check_backs c JOIN lines l ON l.line_id = c.line_id
       WHERE c.status = 'scheduled' AND c.due_at <= $3 AND l.merged_into IS NULL AND ${IN_SCOPE}
         AND ($4::timestamptz IS NULL OR (c.due_at, c.check_back_id) > ($4, $5::uuid))
       ORDER BY c.due_at, c.check_back_id LIMIT $6`,
      [...scopeParams(scope), by, page.after?.dueAt ?? null, page.after?.checkBackId ?? null, page.limit],
    );
    return rows.map(dueOf);
  }

  /** How many `due` lists by `by` in scope (the home view's figure). */
  async countDue(q: Queryable, scope: AreaScope, by: Date): Promise<number> {
    const rows: { n: number }[] = await managerOf(q).query(
      `SELECT count(*)::int AS n FROM line_check_backs c JOIN lines l ON l.line_id = c.line_id
       WHERE c.status = 'scheduled' AND c.due_at <= $3 AND l.merged_into IS NULL AND ${IN_SCOPE}`,
      [...scopeParams(scope), by],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Scheduled check-backs due before `before` (overdue past the reminder threshold) whose reminder is not complete, oldest first. */
  async wantingReminder(q: Queryable, before: Date, limit: number): Promise<CheckBackDue[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT c.check_back_id, c.line_id, l.area, l.areas, c.closure_event_id, c.closed_at, c.offset_days, c.due_at
       FROM line_check_backs c JOIN lines l ON l.line_id = c.line_id
       WHERE c.status = 'scheduled' AND c.due_at < $1
         AND NOT EXISTS (SELECT 1 FROM check_back_reminders r WHERE r.check_back_id = c.check_back_id AND r.completed_at IS NOT NULL)
       ORDER BY c.due_at, c.check_back_id LIMIT $2`,
      [before, limit],
    );
    return rows.map(dueOf);
  }

  /**
   * Takes the reminder of a check-back for `holder` (creating its record with `reminderId` the first
   * time): null when it is complete or another holder's lease runs.
   */
  async claimReminder(
    q: Queryable,
    checkBackId: string,
    reminderId: string,
    holder: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<ClaimedReminder | null> {
    await managerOf(q).query(
      `INSERT INTO check_back_reminders (check_back_id, reminder_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (check_back_id) DO NOTHING`,
      [checkBackId, reminderId, now],
    );
    const rows: { check_back_id: string; reminder_id: string; sent_to: string[]; attempts: number }[] = await managerOf(q).query(
      `WITH taken AS (
         UPDATE check_back_reminders SET holder = $2, lease_until = $4
         WHERE check_back_id = $1 AND completed_at IS NULL
           AND (holder IS NULL OR lease_until IS NULL OR lease_until <= $3 OR holder = $2)
         RETURNING check_back_id, reminder_id, sent_to, attempts)
       SELECT * FROM taken`,
      [checkBackId, holder, now, leaseUntil],
    );
    const row = rows[0];
    return row
      ? { checkBackId: row.check_back_id, reminderId: row.reminder_id, sentTo: row.sent_to, attempts: Number(row.attempts) }
      : null;
  }

  async markReminderSent(q: Queryable, checkBackId: string, key: string): Promise<void> {
    await managerOf(q).query(
      `UPDATE check_back_reminders SET sent_to = array_append(sent_to, $2) WHERE check_back_id = $1 AND NOT ($2 = ANY(sent_to))`,
      [checkBackId, key],
    );
  }

  /** The reminder is done (sent to everyone, or given up): never sent again. */
  async completeReminder(q: Queryable, checkBackId: string, holder: string, at: Date): Promise<void> {
    await managerOf(q).query(
      `UPDATE check_back_reminders SET completed_at = $3, holder = NULL, lease_until = NULL WHERE check_back_id = $1 AND holder = $2`,
      [checkBackId, holder, at],
    );
  }

  /** A send failed: count the attempt and free the lease (the next tick tries what is missing). */
  async releaseReminder(q: Queryable, checkBackId: string, holder: string): Promise<void> {
    await managerOf(q).query(
      `UPDATE check_back_reminders SET attempts = attempts + 1, holder = NULL, lease_until = NULL WHERE check_back_id = $1 AND holder = $2`,
      [checkBackId, holder],
    );
  }
}
