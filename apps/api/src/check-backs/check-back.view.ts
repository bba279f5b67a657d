import type { CheckBackV1 } from '@linewatch/contracts';
import type { CheckBackRow } from '@linewatch/persistence';

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
