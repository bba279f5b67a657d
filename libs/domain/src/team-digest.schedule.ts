/**
 * When a team's digest is due (PRODUCT.md, "Team digest"; docs/alerts.md, "Team digests"). Pure:
 * `now` is an input. A schedule is one or more wall-clock times on some (default: every) weekday
 * in an IANA zone (default Europe/London); a period ends at each scheduled instant. A missed
 * period is caught up once: only the latest instant at or before `now` is ever due.
 *
 * Offsets come from the runtime's time-zone database (Intl). A wall time the clocks skip (spring
 * forward) is read an hour later; a wall time that happens twice (autumn) is its first instant.
 */
import { WEEKDAYS, type Weekday } from './export-schedule.rules';

export interface DigestSchedule {
  /** Wall-clock times, "HH:MM" (24-hour), in `timeZone`. */
  readonly at: readonly string[];
  /** The weekdays it runs on (every day when empty). */
  readonly days: readonly Weekday[];
  readonly timeZone: string;
}

export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = Object.freeze({
  at: Object.freeze(['07:00']),
  days: Object.freeze([]) as readonly Weekday[],
  timeZone: 'Europe/London',
});

const DAY_MS = 24 * 60 * 60 * 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

function fieldsIn(instant: Date, zone: string) {
  const p = Object.fromEntries(
    formatter(zone)
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function zoneOffsetMs(instant: Date, zone: string): number {
  const f = fieldsIn(instant, zone);
  return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of a wall-clock time on a local date (YYYY-MM-DD) in a zone. */
export function zonedWallTime(localDate: string, time: string, zone: string): Date {
  const [h, m] = time.split(':').map(Number);
  const wall = Date.parse(`${localDate}T00:00:00Z`) + (h * 60 + m) * 60_000;
  // Two passes: the offset an hour either side of a change; the earlier reading of a repeated hour wins.
  const candidates = [wall - zoneOffsetMs(new Date(wall - DAY_MS / 2), zone), wall - zoneOffsetMs(new Date(wall + DAY_MS / 2), zone)]
    .filter((t) => {
      const f = fieldsIn(new Date(t), zone);
      return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi) === wall;
    })
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // Skipped by the clocks: read with the offset before the change (an hour later in the new offset).
  return new Date(wall - zoneOffsetMs(new Date(wall - DAY_MS / 2), zone));
}

function localDateOf(instant: Date, zone: string): string {
  const f = fieldsIn(instant, zone);
  return `${String(f.y).padStart(4, '0')}-${String(f.mo).padStart(2, '0')}-${String(f.d).padStart(2, '0')}`;
}

function addLocalDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(localDate: string): Weekday {
  return WEEKDAYS[(new Date(`${localDate}T00:00:00Z`).getUTCDay() + 6) % 7];
}

function slotsOn(localDate: string, schedule: DigestSchedule): Date[] {
  if (schedule.days.length > 0 && !schedule.days.includes(weekdayOf(localDate))) return [];
  return schedule.at.map((time) => zonedWallTime(localDate, time, schedule.timeZone));
}

/** The latest scheduled instant at or before `now`: the end of the period now due. */
export function dueDigestSlot(now: Date, schedule: DigestSchedule): Date {
  const today = localDateOf(now, schedule.timeZone);
  for (let back = 0; back <= 8; back++) {
    const due = slotsOn(addLocalDays(today, -back), schedule)
      .filter((slot) => slot.getTime() <= now.getTime())
      .sort((a, b) => b.getTime() - a.getTime());
    if (due.length > 0) return due[0];
  }
  throw new RangeError('a digest schedule needs at least one time on at least one day');
}

/** The scheduled instant before `slot`: where the first digest of a team begins. */
export function previousDigestSlot(slot: Date, schedule: DigestSchedule): Date {
  return dueDigestSlot(new Date(slot.getTime() - 1), schedule);
}

/** The next scheduled instant after `now` (for logs and the preview). */
export function nextDigestSlot(now: Date, schedule: DigestSchedule): Date {
  const today = localDateOf(now, schedule.timeZone);
  for (let ahead = 0; ahead <= 8; ahead++) {
    const next = slotsOn(addLocalDays(today, ahead), schedule)
      .filter((slot) => slot.getTime() > now.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
    if (next.length > 0) return next[0];
  }
  throw new RangeError('a digest schedule needs at least one time on at least one day');
}
