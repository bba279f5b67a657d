/**
 * Quiet hours (PRODUCT.md "Alerts"): on the wall clock of the rule's zone, across changes of the
 * clocks; below its minimum severity a delivery waits for the window's end. Pure like the rest of the domain: `now` is always an argument.
 */
import { severityAtLeast, type AlertSeverity } from './alert-severity.rules';

export interface QuietHoursRule {
  /** "HH:MM" wall clock in `timeZone`; `from` later than `to` spans midnight. */
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  /** At or above it an alert is still delivered during quiet hours. */
  readonly minimumSeverity: AlertSeverity;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

// Building a DateTimeFormat is costly; one per zone is kept (a cache, not state the rules depend on).
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(instant: number, timeZone: string): WallClock {
  let format = wallClockFormats.get(timeZone);
  if (format === undefined) {
    // h23: midnight is 00, never 24 (hour12: false gives 24 in some ICU versions).
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The wall clock at `instant` written as if it were UTC (ms), to compare and step wall times. */
function wallMs(instant: number, timeZone: string): number {
  const w = wallClockOf(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + (((instant % 1000) + 1000) % 1000);
}

const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function inWindow(rule: QuietHoursRule, minuteOfDay: number): boolean {
  const from = minutesOf(rule.from);
  const to = minutesOf(rule.to);
  if (from < to) return from <= minuteOfDay && minuteOfDay < to;
  if (from > to) return minuteOfDay >= from || minuteOfDay < to;
  return false; // from === to: an empty window (the config refuses it)
}

/** Inside [from, to) on the wall clock of the rule's zone; a window over midnight wraps. */
export function inQuietHours(rule: QuietHoursRule, now: Date): boolean {
  const w = wallClockOf(now.getTime(), rule.timeZone);
  return inWindow(rule, w.hour * 60 + w.minute);
}

/** False only inside quiet hours for an alert below the rule's minimum severity. */
export function deliverNow(severity: AlertSeverity, rule: QuietHoursRule | undefined, now: Date): boolean {
  if (rule === undefined || !inQuietHours(rule, now)) return true;
  return severityAtLeast(severity, rule.minimumSeverity);
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * When an alert deferred at `now` goes out: the first instant after it outside quiet hours.
 * Outside quiet hours that is `now` itself (never a delay by mistake). The window ends when the
 * wall clock reaches `to`, or earlier when the clocks change and the new wall time lies outside
 * it; when `to` does not exist that day (the clocks jump over it) it ends at the jump, and when it
 * occurs twice (the clocks go back) at the first occurrence after `now`.
 */
export function quietHoursEnd(rule: QuietHoursRule, now: Date): Date {
  let at = now.getTime();
  // One step reaches `to` or a change of the clocks; a clock change may land back inside the
  // window, hence a few steps (each moves forward; two changes a day happen nowhere).
  for (let step = 0; step < 4 && inQuietHours(rule, new Date(at)); step++) at = windowExit(rule, at);
  return new Date(at);
}

/** From an instant inside the window: where the wall clock reaches `to`, or an earlier change of the clocks that leaves the window. */
function windowExit(rule: QuietHoursRule, at: number): number {
  const w = wallClockOf(at, rule.timeZone);
  const to = minutesOf(rule.to);
  // Inside the window and already past `to` on the wall: the window spans midnight and ends tomorrow.
  const wall = Date.UTC(w.year, w.month - 1, w.day + (w.hour * 60 + w.minute >= to ? 1 : 0), Math.floor(to / 60), to % 60);
  // The offsets on either side of the wall time bracket every instant it may denote (zone offsets
  // lie within ±14 h and change at most once within a day).
  const offsets = [offsetAt(wall - 14 * HOUR_MS, rule.timeZone), offsetAt(wall + 14 * HOUR_MS, rule.timeZone)];
  const exact = offsets.map((offset) => wall - offset).filter((instant) => instant > at && wallMs(instant, rule.timeZone) === wall);
  // No exact instant: the clocks jump over `to`; an instant past the jump stands in, and the jump is found below.
  const reach = exact.length > 0 ? Math.min(...exact) : wall - Math.min(...offsets);
  const change = offsetChange(at, reach, rule.timeZone);
  return change !== null && !inQuietHours(rule, new Date(change)) ? change : reach;
}

const offsetAt = (instant: number, timeZone: string): number => wallMs(instant, timeZone) - instant;

/** The first instant in (after, until] whose UTC offset differs from that at `after`; null if none (one change at most is assumed). */
function offsetChange(after: number, until: number, timeZone: string): number | null {
  const before = offsetAt(after, timeZone);
  if (offsetAt(until, timeZone) === before) return null;
  let low = after;
  let high = until;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}
