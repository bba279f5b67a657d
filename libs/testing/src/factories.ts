import { randomUUID } from 'node:crypto';
import { STATE_CHANGE_SCHEMA, type IntelEventInput, type StateChangeV1 } from '@linewatch/contracts';

/** Test data from factories: a valid event of each shape, overridable field by field. */
const base = (overrides: Partial<Record<string, unknown>> = {}) => ({
  eventId: randomUUID(),
  occurredAt: '2026-11-30T21:15:00Z',
  area: 'paulton',
  grading: { source: '2', intelligence: 'B', handling: 'P' },
  source: { system: 'test-records', reference: `IR-${Math.floor(Math.random() * 1e6)}` },
  ...overrides,
});

export function aSighting(overrides: Partial<Record<string, unknown>> = {}): IntelEventInput {
  return {
    ...base(),
    type: 'line.sighting',
    lineId: `LINE-${randomUUID().slice(0, 8)}`,
    body: { kind: 'bulk_text', brand: 'Jay', msisdn: '07700 900123' },
    ...overrides,
  } as IntelEventInput;
}

export function aRaid(lineIds: readonly string[], overrides: Partial<Record<string, unknown>> = {}): IntelEventInput {
  return {
    ...base(),
    type: 'enforcement.raid',
    lineIds: [...lineIds],
    body: { place: { description: 'flat, Paulton (fictional)' }, warrant: 'W-TEST-1' },
    ...overrides,
  } as IntelEventInput;
}

/**
 * Events across lines `a` and `b` (and a third, `other`), for reads of several lines at once: a
 * sighting of `a`, a raid naming `a` and `b` (once for each), a raid naming `b` second (after
 * `other`), and a raid naming only `other` (read for neither). In event-time order.
 */
export function eventsAcrossLines(a: string, b: string, other: string): IntelEventInput[] {
  return [
    aSighting({ lineId: a, occurredAt: '2026-09-01T10:00:00Z' }),
    aRaid([a, b], { occurredAt: '2026-09-02T10:00:00Z' }),
    aRaid([other, b], { occurredAt: '2026-09-03T10:00:00Z' }),
    aRaid([other], { occurredAt: '2026-09-04T10:00:00Z' }),
  ];
}

/** A `line.state-change.v1` as the tracker writes it (a new line, active in paulton), overridable field by field. */
export function aStateChange(overrides: Partial<StateChangeV1> = {}): StateChangeV1 {
  return {
    schema: STATE_CHANGE_SCHEMA,
    changeId: randomUUID(),
    lineId: `LINE-${randomUUID().slice(0, 8)}`,
    from: null,
    to: 'active',
    kind: 'new',
    at: '2026-11-30T21:15:00Z',
    late: false,
    cause: { eventId: randomUUID(), kind: 'new', type: 'line.sighting', grading: { source: '2', intelligence: 'B', handling: 'P' } },
    area: 'paulton',
    areas: ['paulton'],
    referrals: 0,
    trigger: 'events',
    detectedAt: '2026-11-30T21:15:01Z',
    ...overrides,
  };
}

/** A day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant `days` before `now` (default: the clock), as an ISO string: test events dated in the past. */
export function daysAgo(days: number, now = Date.now()): string {
  return new Date(now - days * DAY_MS).toISOString();
}
