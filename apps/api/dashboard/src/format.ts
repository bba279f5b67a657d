import type { StatePeriodV1 } from '@linewatch/contracts';

/** A line's state, as the API's contract names it. */
export type LineState = StatePeriodV1['state'];

/** The states in the order the dashboard lists them (filters, the timeline chart's rows). */
export const LINE_STATES = ['active', 'dormant', 'disrupted', 'closed'] as const satisfies readonly LineState[];

const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium' });

/** Times as people here read them: Europe/London, day month year. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const shortDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short' });
const timeOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const monthYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', month: 'short', year: 'numeric' });

/** A time-axis label as fine as the span shown needs: hours within two days, days within a season, else months. */
export function axisLabel(value: number, spanMs: number): string {
  const date = new Date(value);
  if (spanMs <= 2 * 24 * 3600 * 1000) return `${shortDate.format(date)} ${timeOnly.format(date)}`;
  if (spanMs <= 120 * 24 * 3600 * 1000) return shortDate.format(date);
  return monthYear.format(date);
}

export function formatDate(value: number | string | Date): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateOnly.format(date);
}

export const STATE_LABEL: Record<LineState, string> = {
  active: 'Active',
  dormant: 'Dormant',
  disrupted: 'Disrupted',
  closed: 'Closed',
};

/**
 * Badge and chart colours: each background against its text passes WCAG AA (4.5:1) and the
 * label is always written beside the colour.
 */
export const STATE_COLOUR: Record<LineState, { readonly background: string; readonly text: string }> = {
  active: { background: '#a4161a', text: '#ffffff' },
  dormant: { background: '#ffd166', text: '#1f1f1f' },
  disrupted: { background: '#1d4ed8', text: '#ffffff' },
  closed: { background: '#3f3f46', text: '#ffffff' },
};

export const KIND_LABEL: Record<string, string> = {
  new: 'New line',
  reactivated: 'Reactivated',
  resurfaced: 'Resurfaced',
  went_dormant: 'Went dormant',
  disrupted: 'Disrupted',
  closed: 'Closed',
};

export const EVENT_LABEL: Record<string, string> = {
  'line.sighting': 'Sighting',
  'line.number_changed': 'Number changed',
  'enforcement.raid': 'Raid',
  'enforcement.arrest': 'Arrest',
  'enforcement.seizure': 'Seizure',
  'line.deactivated': 'Deactivated',
  'line.assessed': 'Assessment',
  'safeguarding.referral': 'Safeguarding referral',
};

const SOURCE: Record<string, string> = { '1': 'reliable', '2': 'untested', '3': 'not reliable' };
const INTELLIGENCE: Record<string, string> = {
  A: 'known directly',
  B: 'known indirectly, corroborated',
  C: 'known indirectly',
  D: 'not known',
  E: 'suspected false',
};
const HANDLING: Record<string, string> = { P: 'lawful sharing permitted', C: 'sharing with conditions' };

/** 3x5x2 grading spelled out, for the title of the short code. */
export function gradingMeaning(grading: { source: string; intelligence: string; handling: string }): string {
  return [
    `source ${grading.source}: ${SOURCE[grading.source] ?? 'unknown'}`,
    `intelligence ${grading.intelligence}: ${INTELLIGENCE[grading.intelligence] ?? 'unknown'}`,
    `handling ${grading.handling}: ${HANDLING[grading.handling] ?? 'unknown'}`,
  ].join('; ');
}

/** `YYYY-MM-DD` of a date, in UTC (what date inputs and the export take). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}
