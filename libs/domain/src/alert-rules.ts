/**
 * The alert rules of PRODUCT.md ("Alerts"): severity by transition, routing by area, silences,
 * quiet hours, the content of an alert (sanitised for handling code C), escalation and digests.
 *
 * Pure like the rest of the domain: `now` is always an argument; the routing config is handed in
 * in the domain's own structural types (this library does not import libs/config).
 */
import type { StateChangeV1 } from '@linewatch/contracts';
import type { TransitionKind } from './line-state';

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

const rankOf = (severity: AlertSeverity): number => ALERT_SEVERITIES.indexOf(severity);

/** True when `severity` is `minimum` or above it. */
export function severityAtLeast(severity: AlertSeverity, minimum: AlertSeverity): boolean {
  return rankOf(severity) >= rankOf(minimum);
}

// ---------------------------------------------------------------------------------------------
// Severity and routing

export interface SeverityPolicy {
  readonly severityByKind: Readonly<Record<TransitionKind, AlertSeverity>>;
  readonly referralsRaiseSeverity: boolean;
  /** A team's own severities, over `severityByKind`. */
  readonly overrides?: Partial<Record<TransitionKind, AlertSeverity>>;
}

/** Override over default; a line with safeguarding referrals is raised one level (critical is the cap). */
export function severityOf(change: Pick<StateChangeV1, 'kind' | 'referrals'>, policy: SeverityPolicy): AlertSeverity {
  const base = policy.overrides?.[change.kind] ?? policy.severityByKind[change.kind];
  if (!policy.referralsRaiseSeverity || change.referrals <= 0) return base;
  return ALERT_SEVERITIES[Math.min(rankOf(base) + 1, ALERT_SEVERITIES.length - 1)];
}

/** The distinct teams of every area the line has evidence in (and of its latest area), sorted; unknown areas are ignored. */
export function teamsFor(change: Pick<StateChangeV1, 'areas' | 'area'>, teamOfArea: Readonly<Record<string, string>>): string[] {
  const areas = change.area === null ? change.areas : [...change.areas, change.area];
  const teams = new Set<string>();
  for (const area of areas) {
    // Own properties only: an area code such as "constructor" must not reach Object.prototype.
    if (Object.prototype.hasOwnProperty.call(teamOfArea, area)) teams.add(teamOfArea[area]);
  }
  return [...teams].sort();
}

// ---------------------------------------------------------------------------------------------
// Silences

export interface Silence {
  readonly id: string;
  readonly lineId?: string;
  readonly area?: string;
  readonly from: Date;
  readonly until: Date;
  readonly reason: string;
}

/**
 * The silence that holds back this change's alert, if any: active (`from <= now < until`) and
 * matching the line or one of its areas. A silence naming both a line and an area needs both; one
 * naming neither matches nothing (silencing every alert must be a deliberate act, not an empty
 * form). Of several, the one lasting longest (then the lowest id), so the caller knows the latest
 * end.
 */
export function silenceFor(change: Pick<StateChangeV1, 'lineId' | 'areas'>, silences: readonly Silence[], now: Date): Silence | null {
  const at = now.getTime();
  const matching = silences.filter((s) => {
    if (!(s.from.getTime() <= at && at < s.until.getTime())) return false;
    if (s.lineId === undefined && s.area === undefined) return false;
    return (s.lineId === undefined || s.lineId === change.lineId) && (s.area === undefined || change.areas.includes(s.area));
  });
  matching.sort((a, b) => b.until.getTime() - a.until.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return matching[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Quiet hours (wall clock in the rule's zone)

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
const MINUTE_MS = 60 * 1000;

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

// ---------------------------------------------------------------------------------------------
// Alert content

export interface AlertContent {
  readonly version: 1;
  /** Handling code C: no source, no numbers. */
  readonly sanitised: boolean;
  readonly subject: string;
  readonly text: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** What the intelligence record of the cause says; shown only when the handling code permits sharing (P). */
export interface AlertCauseDetails {
  readonly sourceSystem: string;
  readonly sourceReference: string;
  /** Phone numbers (MSISDN) and IMEIs named by the cause. */
  readonly numbers: readonly string[];
}

export interface AlertContentInput {
  readonly severity: AlertSeverity;
  readonly teamName: string;
  /** area code -> display name; a code without one is shown as the code. */
  readonly areaNames: Readonly<Record<string, string>>;
  readonly cause?: AlertCauseDetails | null;
  readonly ackUrl: string;
}

/** Event times are shown on the wall clock of the force (B&NES: Europe/London). */
export const ALERT_TIME_ZONE = 'Europe/London';
export const HANDLING_C_NOTICE = 'Handling code C: contact the intelligence unit before acting or sharing.';
const WITHHELD = '[withheld]';

function kindPhrase(change: Pick<StateChangeV1, 'kind' | 'closureType'>): string {
  const kind: TransitionKind = change.kind;
  switch (kind) {
    case 'new':
      return 'first seen';
    case 'reactivated':
      return 'reactivated';
    case 'resurfaced':
      return 'resurfaced';
    case 'went_dormant':
      return 'went dormant';
    case 'disrupted':
      return 'disrupted';
    case 'closed':
      return change.closureType === undefined ? 'closed' : `closed (Type ${change.closureType})`;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

function closureMeaning(closureType: 1 | 2): string {
  switch (closureType) {
    case 1:
      return 'line holder arrested and charged';
    case 2:
      return 'number or SIM deactivated';
    default: {
      const unhandled: never = closureType;
      return unhandled;
    }
  }
}

const localFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ALERT_TIME_ZONE,
  hourCycle: 'h23',
  weekday: 'short',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** "Sun 29 March 2026, 02:30 BST": assembled from parts so an ICU update cannot change the wording. */
function localTime(instant: Date): string {
  const p: Record<string, string> = {};
  for (const part of localFormat.formatToParts(instant)) p[part.type] = part.value;
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/**
 * The subject, text and fields of an alert for one team. For handling code C the cause's source
 * and numbers are left out, and also struck from anything else that happens to contain them (a
 * line id or area name); only the state change itself and the given cause details are used, never
 * the event body.
 */
export function alertContent(change: StateChangeV1, input: AlertContentInput): AlertContent {
  const sanitised = change.cause.grading?.handling === 'C';
  const nameOf = (code: string) => (Object.prototype.hasOwnProperty.call(input.areaNames, code) ? input.areaNames[code] : code);
  const places = (change.area === null ? change.areas : [change.area]).map(nameOf);
  const where = places.length > 0 ? ` in ${places.join(', ')}` : '';
  const severity = input.severity.toUpperCase();
  const at = localTime(new Date(change.at));
  const grading = change.cause.grading;
  const cause = sanitised ? null : (input.cause ?? null);

  const subject = `${severity}: line ${change.lineId} ${kindPhrase(change)}${where}`;
  const lines = [
    `Line ${change.lineId} ${kindPhrase(change)}${where}: ${change.from === null ? 'not seen before' : `was ${change.from}`}, now ${change.to}.`,
    `When: ${at} (event time).`,
    ...(change.late ? ["Reported late: the report is about the past and changed the line's current state."] : []),
    `Severity: ${severity}.`,
    `Areas: ${change.areas.length > 0 ? change.areas.map(nameOf).join(', ') : 'none recorded'}.`,
    `Team: ${input.teamName}.`,
    `Safeguarding referrals linked to the line: ${change.referrals}.`,
    ...(change.closureType === undefined ? [] : [`Closure: Type ${change.closureType} (${closureMeaning(change.closureType)}).`]),
    ...(grading === null ? [] : [`Grading of the cause: ${grading.source}${grading.intelligence}, handling ${grading.handling}.`]),
    ...(cause === null ? [] : [`Source: ${cause.sourceSystem} ${cause.sourceReference}.`]),
    ...(cause === null || cause.numbers.length === 0 ? [] : [`Numbers: ${cause.numbers.join(', ')}.`]),
    ...(sanitised ? [HANDLING_C_NOTICE] : []),
    `Acknowledge: ${input.ackUrl}`,
  ];

  const fields: Record<string, string> = {
    changeId: change.changeId,
    lineId: change.lineId,
    kind: change.kind,
    from: change.from ?? 'none',
    to: change.to,
    severity: input.severity,
    at: change.at,
    atLocal: at,
    late: String(change.late),
    ...(change.area === null ? {} : { area: change.area }),
    areas: change.areas.join(','),
    team: input.teamName,
    referrals: String(change.referrals),
    ...(change.closureType === undefined ? {} : { closureType: String(change.closureType) }),
    ...(change.cause.type === null ? {} : { causeType: change.cause.type }),
    ...(grading === null ? {} : { grading: `${grading.source}${grading.intelligence}`, handling: grading.handling }),
    // The cause event's id leads back to the record: only when sharing is permitted.
    ...(sanitised || change.cause.eventId === null ? {} : { causeEventId: change.cause.eventId }),
    ...(cause === null
      ? {}
      : { sourceSystem: cause.sourceSystem, sourceReference: cause.sourceReference, numbers: cause.numbers.join(',') }),
    ackUrl: input.ackUrl,
  };

  if (!sanitised) return { version: 1, sanitised, subject, text: lines.join('\n'), fields };
  const strike = withholding(input.cause);
  return {
    version: 1,
    sanitised,
    subject: strike(subject),
    text: strike(lines.join('\n')),
    fields: Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, strike(value)])),
  };
}

/** Replaces every occurrence of the cause's source and numbers (longest first) with "[withheld]". */
function withholding(cause: AlertCauseDetails | null | undefined): (text: string) => string {
  if (!cause) return (text) => text;
  // Strings under 3 characters identify nothing and would shred ordinary words.
  const secrets = [cause.sourceSystem, cause.sourceReference, ...cause.numbers]
    .map((s) => s.trim())
    .filter((s) => s.length >= 3)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join(WITHHELD), text);
}

// ---------------------------------------------------------------------------------------------
// Escalation

export interface EscalationState {
  readonly raisedAt: Date;
  /** The level already alerted (0: none yet). */
  readonly level: number;
  readonly acknowledgedAt: Date | null;
  readonly resolvedAt: Date | null;
}

export interface EscalationLevelRule {
  readonly level: number;
  readonly afterMinutes: number;
}

const isOpen = (alert: EscalationState) => alert.acknowledgedAt === null && alert.resolvedAt === null;

/** The highest level now due above the alert's own (a late sweep jumps straight to it); null when acknowledged, resolved or none due. */
export function escalationDue(alert: EscalationState, levels: readonly EscalationLevelRule[], now: Date): number | null {
  if (!isOpen(alert)) return null;
  const elapsed = now.getTime() - alert.raisedAt.getTime();
  const due = levels.filter((l) => l.level > alert.level && l.afterMinutes * MINUTE_MS <= elapsed).map((l) => l.level);
  return due.length > 0 ? Math.max(...due) : null;
}

/** When the next level above the alert's own falls due (possibly already past); null when acknowledged, resolved or at the top. */
export function nextEscalationAt(alert: EscalationState, levels: readonly EscalationLevelRule[]): Date | null {
  if (!isOpen(alert)) return null;
  const after = levels.filter((l) => l.level > alert.level).map((l) => l.afterMinutes);
  return after.length > 0 ? new Date(alert.raisedAt.getTime() + Math.min(...after) * MINUTE_MS) : null;
}

// ---------------------------------------------------------------------------------------------
// Digests

export interface DigestCandidate {
  readonly alertId: string;
  readonly teamId: string;
  readonly raisedAt: Date;
}

export interface DigestGroup {
  teamId: string;
  alertIds: string[];
}

/**
 * Per team, the alerts raised within `windowSeconds` of the group's first (inclusive), in time
 * order; a group smaller than `minimum` is not a digest and is left out (its alerts go singly).
 * Sorted by team, then by time; the same input in any order gives the same groups.
 */
export function digestGroups(pending: readonly DigestCandidate[], windowSeconds: number, minimum: number): DigestGroup[] {
  const byTeam = new Map<string, DigestCandidate[]>();
  for (const candidate of pending) {
    const team = byTeam.get(candidate.teamId);
    if (team === undefined) byTeam.set(candidate.teamId, [candidate]);
    else team.push(candidate);
  }
  const groups: DigestGroup[] = [];
  for (const teamId of [...byTeam.keys()].sort()) {
    const alerts = (byTeam.get(teamId) ?? []).sort(
      (a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0),
    );
    let current: DigestCandidate[] = [];
    const close = () => {
      if (current.length >= minimum) groups.push({ teamId, alertIds: current.map((a) => a.alertId) });
    };
    for (const alert of alerts) {
      if (current.length > 0 && alert.raisedAt.getTime() - current[0].raisedAt.getTime() > windowSeconds * 1000) {
        close();
        current = [];
      }
      current.push(alert);
    }
    close();
  }
  return groups;
}
