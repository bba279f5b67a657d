import type { CheckBackDueV1, CheckBackV1 } from '@linewatch/contracts';
import { daysOverdue } from '@linewatch/domain';
import type { CheckBackDue, CheckBackRow } from '@linewatch/persistence';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** A stored check-back as the api answers it (checkBackV1). */
export function checkBackView(row: CheckBackRow): CheckBackV1 {
  return {
    checkBackId: row.checkBackId,
    lineId: row.lineId,
    closureEventId: row.closureEventId,
    closedAt: row.closedAt.toISOString(),
    offsetDays: row.offsetDays,
    dueAt: row.dueAt.toISOString(),
    status: row.status,
    outcome: row.outcome,
    checkedAt: iso(row.checkedAt),
    recordedAt: iso(row.recordedAt),
    recordedBy: row.recordedBy,
    rationale: row.rationale,
    sightingEventId: row.sightingEventId,
  };
}

/** A check-back due, with how many whole days it is overdue at `now` (checkBackDueV1; the reminder's body too). */
export function checkBackDueView(due: CheckBackDue, now: Date): CheckBackDueV1 {
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
