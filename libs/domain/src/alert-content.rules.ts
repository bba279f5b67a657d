/**
 * The content of an alert (PRODUCT.md "Alerts"): subject and text in the force's wall-clock time,
 * sanitised for handling code C (no source, no numbers, "contact the intelligence unit").
 */
import type { StateChangeV1 } from '@linewatch/contracts';
import type { AlertSeverity } from './alert-severity.rules';
import type { TransitionKind } from './line-state';

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
export function withholding(cause: AlertCauseDetails | null | undefined): (text: string) => string {
  if (!cause) return (text) => text;
  // Strings under 3 characters identify nothing and would shred ordinary words.
  const secrets = [cause.sourceSystem, cause.sourceReference, ...cause.numbers]
    .map((s) => s.trim())
    .filter((s) => s.length >= 3)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join(WITHHELD), text);
}
