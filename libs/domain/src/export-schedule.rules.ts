/**
 * When the weekly export job is due (docs/exports.md, "Schedule"). Pure: `now` is an input.
 * The job runs at a local (Europe/London) day and time each week and covers the weeks up to the
 * last complete one; a missed run is caught up once — the latest due — not once per missed week.
 */
import { addDays, isoWeekOf, isoWeekOfDate, londonOffsetMs, type IsoWeek } from './london-week.calendar';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ExportSchedule {
  readonly day: Weekday;
  /** Local time, HH:MM (24-hour). */
  readonly time: string;
}

/** The instant of a local wall-clock time in London (a time the clocks skip is read as an hour later). */
export function londonWallTime(localDate: string, time: string): Date {
  const [h, m] = time.split(':').map(Number);
  const wall = Date.parse(`${localDate}T00:00:00Z`) + (h * 60 + m) * 60_000;
  const first = wall - londonOffsetMs(new Date(wall));
  return new Date(wall - londonOffsetMs(new Date(first)));
}

export interface DueExport {
  /** The latest scheduled instant at or before `now`. */
  readonly slotAt: Date;
  /** The last complete week before that instant's week: what the run covers up to. */
  readonly week: IsoWeek;
}

/** The latest run due at or before `now`. */
export function dueExport(now: Date, schedule: ExportSchedule): DueExport {
  const offset = WEEKDAYS.indexOf(schedule.day);
  let slotWeek = isoWeekOf(now);
  let slotAt = londonWallTime(addDays(slotWeek.weekStart, offset), schedule.time);
  if (slotAt > now) {
    slotWeek = isoWeekOfDate(addDays(slotWeek.weekStart, -7));
    slotAt = londonWallTime(addDays(slotWeek.weekStart, offset), schedule.time);
  }
  return { slotAt, week: isoWeekOfDate(addDays(slotWeek.weekStart, -7)) };
}

/** The next scheduled instant after `now` (for logs and the timer). */
export function nextExportSlot(now: Date, schedule: ExportSchedule): Date {
  const offset = WEEKDAYS.indexOf(schedule.day);
  const week = isoWeekOf(now);
  const slot = londonWallTime(addDays(week.weekStart, offset), schedule.time);
  return slot > now ? slot : londonWallTime(addDays(week.weekStart, offset + 7), schedule.time);
}
