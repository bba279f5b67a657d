/**
 * ISO weeks in Europe/London (Monday 00:00 local to the next Monday 00:00 local), for the weekly
 * trend exports. Pure: no clock (every function takes its instant), no I/O. A week that contains
 * a change of the clocks lasts 167 hours (last Sunday in March) or 169 hours (last Sunday in
 * October); local midnight is never ambiguous in the UK (the clocks change at 01:00 UTC).
 *
 * Offsets come from the runtime's time-zone database (Intl), not from hand-written UK rules.
 */
export const EXPORT_TIME_ZONE = 'Europe/London';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IsoWeek {
  /** `2026-W48` (ISO week-year and week number). */
  readonly isoWeek: string;
  /** The local date of its Monday, `2026-11-23`. */
  readonly weekStart: string;
  /** Monday 00:00 Europe/London, as an instant. */
  readonly start: Date;
  /** The next Monday 00:00 Europe/London (exclusive). */
  readonly end: Date;
}

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: EXPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Local wall-clock fields of an instant in London. */
function londonFields(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** London's offset from UTC at an instant, in milliseconds (0 in GMT, 3,600,000 in BST). */
export function londonOffsetMs(instant: Date): number {
  const f = londonFields(instant);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateParts(localDate: string): [number, number, number] {
  const m = DATE.exec(localDate);
  if (!m) throw new RangeError(`expected a date YYYY-MM-DD, got ${localDate}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    throw new RangeError(`impossible date ${localDate}`);
  return [y, mo, d];
}

const iso = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/** The instant of 00:00 Europe/London on a local date (YYYY-MM-DD). */
export function londonMidnight(localDate: string): Date {
  const [y, m, d] = dateParts(localDate);
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - londonOffsetMs(new Date(wall));
  const second = wall - londonOffsetMs(new Date(first));
  return new Date(second);
}

/** The local date (YYYY-MM-DD) of an instant in London. */
export function londonDateOf(instant: Date): string {
  const f = londonFields(instant);
  return iso(Date.UTC(f.year, f.month - 1, f.day));
}

/** A local date plus whole days (calendar arithmetic, no time zone involved). */
export function addDays(localDate: string, days: number): string {
  const [y, m, d] = dateParts(localDate);
  return iso(Date.UTC(y, m - 1, d) + days * DAY_MS);
}

/** Weeks already worked out, by local date: the time-zone arithmetic is the cost of the weekly figures. */
const weeksByDate = new Map<string, IsoWeek>();
const WEEK_MEMO_LIMIT = 20_000;

/** The ISO week a local date belongs to. */
export function isoWeekOfDate(localDate: string): IsoWeek {
  let week = weeksByDate.get(localDate);
  if (week === undefined) {
    week = computeIsoWeekOfDate(localDate);
    if (weeksByDate.size >= WEEK_MEMO_LIMIT) weeksByDate.clear();
    weeksByDate.set(localDate, week);
  }
  return week;
}

function computeIsoWeekOfDate(localDate: string): IsoWeek {
  const [y, m, d] = dateParts(localDate);
  const utc = Date.UTC(y, m - 1, d);
  const dow = ((new Date(utc).getUTCDay() + 6) % 7) + 1; // Monday 1 … Sunday 7
  const monday = utc - (dow - 1) * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const number = 1 + Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS));
  const weekStart = iso(monday);
  return {
    isoWeek: `${weekYear}-W${String(number).padStart(2, '0')}`,
    weekStart,
    start: londonMidnight(weekStart),
    end: londonMidnight(addDays(weekStart, 7)),
  };
}

/** The ISO week (in London) an instant falls in. */
export function isoWeekOf(instant: Date): IsoWeek {
  return isoWeekOfDate(londonDateOf(instant));
}

/** The week after this one. */
export function nextIsoWeek(week: IsoWeek): IsoWeek {
  return isoWeekOfDate(addDays(week.weekStart, 7));
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** `2026-W48` → that week; a week number the year does not have is refused. */
export function parseIsoWeek(text: string): IsoWeek {
  const m = ISO_WEEK.exec(text);
  if (!m) throw new RangeError(`expected an ISO week such as 2026-W48, got ${text}`);
  const [year, number] = [Number(m[1]), Number(m[2])];
  // 4 January is always in week 1.
  const week1 = isoWeekOfDate(`${m[1]}-01-04`);
  const week = isoWeekOfDate(addDays(week1.weekStart, (number - 1) * 7));
  if (number < 1 || week.isoWeek !== `${year}-W${m[2]}`) throw new RangeError(`${text}: no such ISO week`);
  return week;
}

/**
 * The weeks from the one containing local date `from` to the one containing local date `to`
 * (both included), oldest first. At most `limit` weeks (a guard against absurd ranges).
 */
export function isoWeeksBetween(from: string, to: string, limit = 1000): IsoWeek[] {
  const weeks: IsoWeek[] = [];
  let week = isoWeekOfDate(from);
  const last = isoWeekOfDate(to).weekStart;
  while (week.weekStart <= last) {
    if (weeks.length >= limit) throw new RangeError(`more than ${limit} weeks between ${from} and ${to}`);
    weeks.push(week);
    week = nextIsoWeek(week);
  }
  return weeks;
}

/** Length of a week in hours: 168, or 167 / 169 across a change of the clocks. */
export function weekHours(week: IsoWeek): number {
  return (week.end.getTime() - week.start.getTime()) / 3_600_000;
}
