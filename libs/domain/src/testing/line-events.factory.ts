/**
 * Test data for the domain specs: line events on a day scale (day 0 = Monday 2026-01-05T00:00Z).
 * Not exported from the library's index; specs import it directly.
 */
import type { DormancyPolicy } from '../dormancy.policy';
import type { EnforcementType, IntelligenceGrade, LineEvent, SightingType } from '../line-event.model';
import type { LineTimeline } from '../line-timeline.model';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const T0 = Date.parse('2026-01-05T00:00:00.000Z');
export const LINE = 'jay-1';

/** The instant `day` days (fractions allowed) after day 0. */
export const day = (days: number): Date => new Date(T0 + days * DAY_MS);
/** The day number of an instant (for readable expectations). */
export const dayOf = (instant: Date): number => (instant.getTime() - T0) / DAY_MS;

export const POLICY: DormancyPolicy = { defaultDays: 28, byArea: { keynsham: 14, paulton: 40 } };

export interface EventOptions {
  readonly id?: string;
  readonly line?: string;
  readonly area?: string;
  readonly grade?: IntelligenceGrade;
}

let sequence = 0;
const envelope = (days: number, options: EventOptions) => ({
  eventId: options.id ?? `ev-${String(++sequence).padStart(5, '0')}`,
  lineId: options.line ?? LINE,
  occurredAt: day(days),
  area: options.area ?? 'bath',
  intelligence: options.grade ?? 'B',
});

export const sighting = (days: number, options: EventOptions = {}, type: SightingType = 'line.sighting'): LineEvent => ({
  ...envelope(days, options),
  type,
});
export const numberChanged = (days: number, options: EventOptions = {}): LineEvent => sighting(days, options, 'line.number_changed');
export const enforcement = (type: EnforcementType, days: number, options: EventOptions = {}): LineEvent => ({
  ...envelope(days, options),
  type,
});
export const raid = (days: number, options: EventOptions = {}): LineEvent => enforcement('enforcement.raid', days, options);
export const closure = (closureType: 1 | 2, days: number, options: EventOptions = {}): LineEvent => ({
  ...envelope(days, options),
  type: 'line.assessed',
  decision: closureType === 1 ? 'closure_type_1' : 'closure_type_2',
});
export const reopen = (days: number, options: EventOptions = {}): LineEvent => ({
  ...envelope(days, options),
  type: 'line.assessed',
  decision: 'reopen',
});
export const dormancyOverride = (days: number, windowDays: number, options: EventOptions = {}): LineEvent => ({
  ...envelope(days, options),
  type: 'line.assessed',
  decision: 'dormancy_override',
  dormancyWindowDays: windowDays,
});
export const referral = (days: number, options: EventOptions = {}): LineEvent => ({
  ...envelope(days, options),
  type: 'safeguarding.referral',
});

/** A timeline's periods as `state[closure type]@day:kind`, e.g. `closed1@3:closed`. */
export const periodsOf = (timeline: LineTimeline): string[] =>
  timeline.periods.map((p) => `${p.state}${p.closureType ?? ''}@${dayOf(p.from)}:${p.cause.kind}`);
