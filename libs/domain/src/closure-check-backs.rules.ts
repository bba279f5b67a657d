/**
 * Closure check-backs (PRODUCT.md, "Closure check-backs"): a Home Office Type 1 closure ("with
 * check backs to ensure the number remains out of use") calls for check-backs some days after it
 * (default 7, 28 and 90). Pure: the schedule is a function of the line's timeline as computed, so
 * the tracker derives it every time it saves a line, and a late event that rewrites the closure
 * (or reopens the line) rewrites the schedule with it.
 */
import type { LineTimeline } from './line-timeline.model';

export const DEFAULT_CHECK_BACK_DAYS: readonly number[] = Object.freeze([7, 28, 90]);

const DAY_MS = 24 * 60 * 60 * 1000;

/** One check-back the current closure calls for. */
export interface ScheduledCheckBack {
  /** Days after the closure (event time). */
  readonly offsetDays: number;
  readonly dueAt: Date;
}

/** The check-backs a line's CURRENT state calls for: null unless the line is closed by a Type 1 closure now. */
export interface CheckBackSchedule {
  readonly lineId: string;
  /** The `line.assessed` event that closed the line (the current period's cause). */
  readonly closureEventId: string;
  /** When the closure took effect, in event time (the current period's start). */
  readonly closedAt: Date;
  readonly checkBacks: readonly ScheduledCheckBack[];
}

/**
 * The check-backs due for the line's current closure: one per offset, at the closure's start +
 * offset days (event time, whole days of 24 hours). Null when the line is not closed, closed by a
 * Type 2 closure, or closed by nothing an event names. A line that left the closed state (a
 * sighting, a reopen) calls for none: its pending check-backs are cancelled.
 */
export function checkBackScheduleOf(timeline: LineTimeline, offsetsDays: readonly number[]): CheckBackSchedule | null {
  const current = timeline.periods.at(-1);
  if (timeline.state !== 'closed' || current === undefined || current.state !== 'closed') return null;
  if (current.closureType !== 1 || current.cause.eventId === null) return null;
  const closedAt = current.from;
  const offsets = [...new Set(offsetsDays)].sort((a, b) => a - b);
  return {
    lineId: timeline.lineId,
    closureEventId: current.cause.eventId,
    closedAt,
    checkBacks: offsets.map((offsetDays) => ({ offsetDays, dueAt: new Date(closedAt.getTime() + offsetDays * DAY_MS) })),
  };
}

/** Whole days a check-back due at `dueAt` is overdue at `now` (0 when not yet due or due less than a day ago). */
export function daysOverdue(dueAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / DAY_MS));
}

/** A check-back overdue by MORE than `afterDays` at `now` raises one reminder (to the intelligence team). */
export function reminderDue(dueAt: Date, now: Date, afterDays: number): boolean {
  return now.getTime() - dueAt.getTime() > afterDays * DAY_MS;
}
