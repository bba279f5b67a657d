/**
 * The weekly trend figures (docs/exports.md has the definitions in words). Pure: `now` is an input.
 *
 * Line figures come from a line's timeline (its state periods) and the instants its area changed;
 * each line contributes at most one flag per figure, area and week (figures count lines, not
 * transitions: a line that reactivates twice in a week counts once in `reactivated`).
 * Event figures (raids, arrests, seizures, referrals) count events by the event's own area.
 */
import type { LineState, TransitionKind } from './line-state';
import { isoWeekOf, isoWeekOfDate, nextIsoWeek, type IsoWeek } from './london-week.calendar';
import type { ClosureType } from './line-timeline.model';

/** One stored period of a line's timeline, in order. */
export interface FigurePeriod {
  readonly state: LineState;
  readonly from: Date;
  readonly to: Date | null;
  readonly transition: TransitionKind;
  readonly closureType?: ClosureType | null;
}

/** A sighting, number change or reopen that counted (not graded E): the line's area from `at` on. */
export interface AreaMark {
  readonly at: Date;
  readonly area: string;
}

export interface LineWeekInput {
  readonly lineId: string;
  /** The timeline, oldest first, contiguous. */
  readonly periods: readonly FigurePeriod[];
  /** In event-time order (at one instant, the last one wins). */
  readonly areaMarks: readonly AreaMark[];
  /** The area of the event that first recorded the line: its area before any mark (a line first seen by a raid). */
  readonly firstArea: string;
  /** Open periods are counted up to the week containing `now`. */
  readonly now: Date;
}

export const LINE_FIGURES = [
  'linesActive',
  'activeAtWeekEnd',
  'new',
  'reactivated',
  'resurfaced',
  'wentDormant',
  'disrupted',
  'closedType1',
  'closedType2',
] as const;
export type LineFigure = (typeof LINE_FIGURES)[number];

/** What one line contributed to one area in one week. */
export interface LineWeekFlags {
  readonly lineId: string;
  readonly area: string;
  /** Local Monday, YYYY-MM-DD. */
  readonly weekStart: string;
  readonly flags: Readonly<Record<LineFigure, boolean>>;
}

export interface LineWeekResult {
  readonly rows: LineWeekFlags[];
  /**
   * When the rows must be computed again without any change to the line: the start of the week
   * after `now`'s, when the line is active with no end yet (it stays active into weeks not yet
   * written). Null when nothing is open.
   */
  readonly recheckAt: Date | null;
}

const TRANSITION_FIGURE: Record<Exclude<TransitionKind, 'closed'>, LineFigure> = {
  new: 'new',
  reactivated: 'reactivated',
  resurfaced: 'resurfaced',
  went_dormant: 'wentDormant',
  disrupted: 'disrupted',
};

function transitionFigure(period: FigurePeriod): LineFigure | null {
  if (period.transition === 'closed') {
    if (period.closureType === 1) return 'closedType1';
    if (period.closureType === 2) return 'closedType2';
    return null;
  }
  return TRANSITION_FIGURE[period.transition];
}

function noFlags(): Record<LineFigure, boolean> {
  return Object.fromEntries(LINE_FIGURES.map((f) => [f, false])) as Record<LineFigure, boolean>;
}

/** The weeks a piece `[from, to)` of time touches; a zero-length piece touches its own week; `to` null runs to `now`. */
function weeksTouched(from: Date, to: Date | null, now: Date): IsoWeek[] {
  const last = to === null ? (now > from ? now : from) : to.getTime() === from.getTime() ? from : new Date(to.getTime() - 1);
  const weeks: IsoWeek[] = [];
  for (let week = isoWeekOf(from); week.start <= last; week = nextIsoWeek(week)) weeks.push(week);
  return weeks;
}

/**
 * The instants the line's area changed, oldest first: at one instant the last mark wins, and a
 * mark that repeats the area already in effect is no change. Cutting active time only at these
 * (not at every sighting) gives the same flags: two adjacent pieces in one area touch the same
 * weeks as the piece they make together.
 */
function areaChanges(marks: readonly AreaMark[], firstArea: string): AreaMark[] {
  const sorted = [...marks].sort((a, b) => a.at.getTime() - b.at.getTime()); // stable: event order kept at one instant
  const changes: AreaMark[] = [];
  let area = firstArea;
  for (let i = 0; i < sorted.length; i += 1) {
    const mark = sorted[i];
    if (i + 1 < sorted.length && sorted[i + 1].at.getTime() === mark.at.getTime()) continue; // a later mark at this instant wins
    if (mark.area !== area) changes.push(mark);
    area = mark.area;
  }
  return changes;
}

/** The line's area at instant t: its latest area change at or before t, else the area it was first recorded in. */
function areaAtFn(changes: readonly AreaMark[], firstArea: string): (t: Date) => string {
  return (t) => {
    let area = firstArea;
    for (const change of changes) {
      if (change.at > t) break;
      area = change.area;
    }
    return area;
  };
}

/** What one line contributes to the weekly figures. */
export function lineWeekFigures(input: LineWeekInput): LineWeekResult {
  const changes = areaChanges(input.areaMarks, input.firstArea);
  const areaAt = areaAtFn(changes, input.firstArea);
  const byKey = new Map<string, { area: string; weekStart: string; flags: Record<LineFigure, boolean> }>();
  const flag = (area: string, weekStart: string, figure: LineFigure) => {
    const key = `${area}\u0000${weekStart}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { area, weekStart, flags: noFlags() }));
    row.flags[figure] = true;
  };

  let open = false;
  for (const period of input.periods) {
    // Transitions: in the week and area of the instant the period began.
    const figure = transitionFigure(period);
    if (figure) flag(areaAt(period.from), isoWeekOf(period.from).weekStart, figure);
    if (period.state !== 'active') continue;
    if (period.to === null) open = true;

    // Active time, cut where the line's area changed inside the period.
    const cuts = changes.filter((c) => c.at > period.from && (period.to === null || c.at < period.to)).map((c) => c.at);
    const bounds = [period.from, ...cuts];
    for (let i = 0; i < bounds.length; i += 1) {
      const from = bounds[i];
      const to = i + 1 < bounds.length ? bounds[i + 1] : period.to;
      const area = areaAt(from);
      for (const week of weeksTouched(from, to, input.now)) {
        flag(area, week.weekStart, 'linesActive');
        // Active at the last instant of the week (for the week in progress: so far).
        if (from < week.end && (to === null || to >= week.end)) flag(area, week.weekStart, 'activeAtWeekEnd');
      }
    }
  }

  const rows = [...byKey.values()]
    .sort((a, b) => (a.weekStart === b.weekStart ? a.area.localeCompare(b.area) : a.weekStart < b.weekStart ? -1 : 1))
    .map((r) => ({ lineId: input.lineId, ...r }));
  return { rows, recheckAt: open ? nextIsoWeek(isoWeekOf(input.now)).start : null };
}

export const EVENT_FIGURES = [
  'raids',
  'arrests',
  'seizures',
  'referrals',
  'referralsChildren',
  'referralsAdults',
  'referralsCriminal',
  'referralsSexual',
  'referralsCuckooing',
] as const;
export type EventFigure = (typeof EVENT_FIGURES)[number];

/**
 * Closure check-backs (docs/exports.md): per area of the closure and week — recorded (by the date
 * the number was checked), and due but neither recorded nor cancelled at the end of the week.
 */
export const CHECK_BACK_FIGURES = ['checkBacksDone', 'checkBacksOverdue'] as const;
export type CheckBackFigure = (typeof CHECK_BACK_FIGURES)[number];

export const WEEKLY_FIGURES = [...LINE_FIGURES, ...EVENT_FIGURES, ...CHECK_BACK_FIGURES] as const;
export type WeeklyFigure = LineFigure | EventFigure | CheckBackFigure;

/** Counts of people: what the partner version suppresses when small. */
export const PEOPLE_FIGURES: readonly WeeklyFigure[] = [
  'arrests',
  'referrals',
  'referralsChildren',
  'referralsAdults',
  'referralsCriminal',
  'referralsSexual',
  'referralsCuckooing',
];

export type WeeklyCounts = Readonly<Record<WeeklyFigure, number>>;

export interface WeeklyRow extends WeeklyCounts {
  readonly area: string;
  readonly isoWeek: string;
  readonly weekStart: string;
}

/** Counts for one area (or all areas) and week, as read from the figures tables. */
export interface WeekCounts {
  readonly area: string;
  readonly weekStart: string;
  readonly counts: Partial<Record<WeeklyFigure, number>>;
}

export function zeroCounts(): Record<WeeklyFigure, number> {
  return Object.fromEntries(WEEKLY_FIGURES.map((f) => [f, 0])) as Record<WeeklyFigure, number>;
}

/**
 * Every area × week of the range, in order (weeks, then the areas in the order given), with the
 * counts found and zero elsewhere. Counts for areas not listed are left out.
 */
export function assembleWeeklyRows(weeks: readonly IsoWeek[], areas: readonly string[], found: readonly WeekCounts[]): WeeklyRow[] {
  const byKey = new Map<string, Record<WeeklyFigure, number>>();
  for (const f of found) {
    const key = `${f.area}\u0000${f.weekStart}`;
    const counts = byKey.get(key) ?? zeroCounts();
    for (const [figure, n] of Object.entries(f.counts) as [WeeklyFigure, number][]) counts[figure] += n;
    byKey.set(key, counts);
  }
  return weeks.flatMap((week) =>
    areas.map((area) => ({
      area,
      isoWeek: week.isoWeek,
      weekStart: week.weekStart,
      ...(byKey.get(`${area}\u0000${week.weekStart}`) ?? zeroCounts()),
    })),
  );
}

/** Validates a week start as a local Monday (what the tables key by). */
export function isWeekStart(localDate: string): boolean {
  try {
    return isoWeekOfDate(localDate).weekStart === localDate;
  } catch {
    return false;
  }
}
