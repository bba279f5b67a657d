import {
  computeTimeline,
  currentStateChange,
  nextDormancyAt,
  type LineEvent,
  type LineTimeline,
  type StateChange,
} from '@linewatch/domain';
import { LINE, POLICY, closure, day, dormancyOverride, raid, referral, reopen, sighting } from './testing/line-events.factory';

const pick = <T extends object>(value: T, keys: readonly (keyof T)[]): Partial<T> =>
  Object.fromEntries(keys.map((key) => [key, value[key]])) as Partial<T>;

const timeline = (events: readonly LineEvent[], now: number): LineTimeline => computeTimeline(LINE, events, day(now), POLICY);

describe('currentStateChange', () => {
  const s0 = sighting(0, { id: 's0' });
  const s10 = sighting(10, { id: 's10' });
  const r5 = raid(5, { id: 'r5' });

  type Row = { given: string; when: string; before: LineTimeline | null; after: LineTimeline; then: Partial<StateChange> | null };
  const described = (rows: Row[]) =>
    rows.map((row) => ({
      ...row,
      says: row.then === null ? 'none' : `${row.then.from ?? 'none'} → ${row.then.to}${row.then.late ? ', late' : ''}`,
    }));

  it.each(
    described([
      {
        given: 'a line never computed',
        when: 'it is first sighted',
        before: null,
        after: timeline([s0], 1),
        then: { from: null, to: 'active', kind: 'new', at: day(0), cause: { eventId: 's0', kind: 'new' }, late: false },
      },
      {
        given: 'an active line',
        when: 'sighted again',
        before: timeline([s0], 1),
        after: timeline([s0, s10], 11),
        then: null,
      },
      {
        given: 'an active line sighted on days 0 and 10',
        when: 'a late raid on day 5 rewrites history (disrupted, then resurfaced on day 10)',
        before: timeline([s0, s10], 11),
        after: timeline([s0, r5, s10], 11),
        then: null,
      },
      {
        given: 'an active line',
        when: 'a raid newer than anything known',
        before: timeline([s0, s10], 11),
        after: timeline([s0, s10, raid(11, { id: 'r11' })], 12),
        then: {
          from: 'active',
          to: 'disrupted',
          kind: 'disrupted',
          at: day(11),
          cause: { eventId: 'r11', kind: 'disrupted' },
          late: false,
        },
      },
      {
        given: 'an active line whose latest known event is a referral on day 10',
        when: 'a late raid on day 5 arrives',
        before: timeline([s0, referral(10, { id: 'f10' })], 11),
        after: timeline([s0, r5, referral(10, { id: 'f10' })], 11),
        then: { from: 'active', to: 'disrupted', kind: 'disrupted', at: day(5), late: true },
      },
      {
        given: 'a line dormant since day 28',
        when: 'a late sighting on day 20 keeps it active all along',
        before: timeline([s0], 30),
        after: timeline([s0, sighting(20, { id: 's20' })], 30),
        then: { from: 'dormant', to: 'active', kind: 'reactivated', at: day(0), cause: { eventId: 's0', kind: 'new' }, late: true },
      },
      {
        given: 'an active line computed on day 27',
        when: 'the sweep computes it on day 28',
        before: timeline([s0], 27),
        after: timeline([s0], 28),
        then: {
          from: 'active',
          to: 'dormant',
          kind: 'went_dormant',
          at: day(28),
          cause: { eventId: null, kind: 'went_dormant' },
          late: false,
        },
      },
      {
        given: 'a line never computed',
        when: 'a batch arrives: sighting, raid, referral',
        before: null,
        after: timeline([s0, r5, referral(6)], 7),
        then: { from: null, to: 'disrupted', kind: 'disrupted', at: day(5), late: false },
      },
      {
        given: 'an active line',
        when: 'closed type 2',
        before: timeline([s0], 1),
        after: timeline([s0, closure(2, 2, { id: 'c2' })], 3),
        then: { from: 'active', to: 'closed', kind: 'closed', closureType: 2, late: false },
      },
      {
        given: 'a closed line',
        when: 'reopened',
        before: timeline([s0, closure(1, 2)], 3),
        after: timeline([s0, closure(1, 2), reopen(4, { id: 'o4' })], 5),
        then: { from: 'closed', to: 'active', kind: 'resurfaced', cause: { eventId: 'o4', kind: 'resurfaced' }, late: false },
      },
      {
        given: 'a line with only a referral',
        when: 'another referral',
        before: timeline([referral(0)], 1),
        after: timeline([referral(0), referral(1)], 2),
        then: null,
      },
    ]),
  )('given $given, when $when, then the change is $says', ({ before, after, then }) => {
    const change = currentStateChange(before, after);
    // Compare only the fields the row names (all of them when it expects null).
    const named = change !== null && then !== null ? pick(change, ['lineId', ...Object.keys(then)] as (keyof StateChange)[]) : change;
    expect(named).toEqual(then === null ? null : { lineId: LINE, ...then });
  });

  it('given a change that is not a closure, when computed, then it carries no closure type', () => {
    expect(currentStateChange(null, timeline([sighting(0)], 1))).not.toHaveProperty('closureType');
  });
});

describe('nextDormancyAt', () => {
  it.each([
    { given: 'an active bath line sighted on day 3', events: [sighting(3)], then: day(31) },
    { given: 'an active keynsham line sighted on day 3', events: [sighting(3, { area: 'keynsham' })], then: day(17) },
    {
      given: 'an active line with its own 50-day window',
      events: [sighting(0, { area: 'keynsham' }), dormancyOverride(1, 50)],
      then: day(50),
    },
    { given: 'a disrupted line', events: [sighting(0), raid(1)], then: null },
    { given: 'a closed line', events: [sighting(0), closure(1, 1)], then: null },
    { given: 'a line with no state', events: [referral(0)], then: null },
  ])('given $given, when asked on day 5, then the sweep looks next at $then', ({ events, then }) => {
    expect(nextDormancyAt(timeline(events, 5), POLICY)).toEqual(then);
  });

  it('given a dormant line, when asked, then there is nothing to sweep', () => {
    expect(nextDormancyAt(timeline([sighting(0)], 40), POLICY)).toBeNull();
  });
});
