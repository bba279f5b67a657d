import { intelEventV1, type IntelEventInput } from '@linewatch/contracts';
import { compareLineEvents, inEventTimeOrder, lineEventsOf, type LineEvent } from '@linewatch/domain';
import { closure, dormancyOverride, raid, referral, reopen, sighting } from './testing/line-events.factory';

const ID = '6f1c2f36-3a1e-4a52-9d0b-4d8a1f0e2b7c';
const envelope = {
  eventId: ID,
  occurredAt: '2026-03-29T01:30:00+01:00',
  area: 'bath',
  grading: { source: '1', intelligence: 'B', handling: 'P' },
  source: { system: 'records', reference: 'R-1' },
} as const;
const at = new Date('2026-03-29T00:30:00Z');
const common = { eventId: ID, occurredAt: at, area: 'bath', intelligence: 'B' } as const;

describe('lineEventsOf', () => {
  it.each<{ when: string; input: IntelEventInput; then: LineEvent[] }>([
    {
      when: 'a sighting',
      input: { ...envelope, type: 'line.sighting', lineId: 'jay', body: { kind: 'test_purchase' } },
      then: [{ ...common, lineId: 'jay', type: 'line.sighting' }],
    },
    {
      when: 'a number change',
      input: { ...envelope, type: 'line.number_changed', lineId: 'jay', body: { newMsisdn: '07700 900123' } },
      then: [{ ...common, lineId: 'jay', type: 'line.number_changed' }],
    },
    {
      when: 'a raid naming two lines (one twice)',
      input: { ...envelope, type: 'enforcement.raid', lineIds: ['jay', 'kc', 'jay'], body: { place: { description: 'flat' } } },
      then: [
        { ...common, lineId: 'jay', type: 'enforcement.raid' },
        { ...common, lineId: 'kc', type: 'enforcement.raid' },
      ],
    },
    {
      when: 'an arrest',
      input: { ...envelope, type: 'enforcement.arrest', lineId: 'jay', body: { role: 'runner' } },
      then: [{ ...common, lineId: 'jay', type: 'enforcement.arrest' }],
    },
    {
      when: 'a seizure',
      input: { ...envelope, type: 'enforcement.seizure', lineId: 'jay', body: { items: [{ kind: 'handset' }] } },
      then: [{ ...common, lineId: 'jay', type: 'enforcement.seizure' }],
    },
    {
      when: 'a deactivation',
      input: { ...envelope, type: 'line.deactivated', lineId: 'jay', body: { method: 'court_order' } },
      then: [{ ...common, lineId: 'jay', type: 'line.deactivated' }],
    },
    {
      when: 'a closure type 1 assessment',
      input: { ...envelope, type: 'line.assessed', lineId: 'jay', body: { decision: 'closure_type_1', rationale: 'charged' } },
      then: [{ ...common, lineId: 'jay', type: 'line.assessed', decision: 'closure_type_1' }],
    },
    {
      when: 'a reopen assessment carrying a stray window',
      input: { ...envelope, type: 'line.assessed', lineId: 'jay', body: { decision: 'reopen', dormancyWindowDays: 5, rationale: 'back' } },
      then: [{ ...common, lineId: 'jay', type: 'line.assessed', decision: 'reopen' }],
    },
    {
      when: 'a dormancy override',
      input: {
        ...envelope,
        type: 'line.assessed',
        lineId: 'jay',
        body: { decision: 'dormancy_override', dormancyWindowDays: 60, rationale: 'seasonal' },
      },
      then: [{ ...common, lineId: 'jay', type: 'line.assessed', decision: 'dormancy_override', dormancyWindowDays: 60 }],
    },
    {
      when: 'a referral linked to one line',
      input: { ...envelope, type: 'safeguarding.referral', lineIds: ['jay'], body: { subject: 'child', exploitation: ['criminal'] } },
      then: [{ ...common, lineId: 'jay', type: 'safeguarding.referral' }],
    },
    {
      when: 'a referral linked to no line',
      input: { ...envelope, type: 'safeguarding.referral', body: { subject: 'adult', exploitation: ['cuckooing'] } },
      then: [],
    },
    {
      when: 'a sighting graded 5x5x5 with intelligence 5 (suspected false)',
      input: {
        ...envelope,
        grading: { system: '5x5x5', source: 'B', intelligence: '5', handling: '1' },
        type: 'line.sighting',
        lineId: 'jay',
        body: { kind: 'other' },
      },
      then: [{ ...common, intelligence: 'E', lineId: 'jay', type: 'line.sighting' }],
    },
  ])('given a contract event, when $when, then one line event per concerned line', ({ input, then }) => {
    expect(lineEventsOf(intelEventV1.parse(input))).toEqual(then);
  });
});

describe('event-time order', () => {
  it.each<{ given: string; a: LineEvent; b: LineEvent }>([
    { given: 'an earlier event', a: raid(1, { id: 'z' }), b: sighting(2, { id: 'a' }) },
    { given: 'a referral and a sighting at one instant', a: referral(1, { id: 'z' }), b: sighting(1, { id: 'a' }) },
    { given: 'a sighting and a raid at one instant', a: sighting(1, { id: 'z' }), b: raid(1, { id: 'a' }) },
    { given: 'a raid and a closure at one instant', a: raid(1, { id: 'z' }), b: closure(1, 1, { id: 'a' }) },
    { given: 'a window and a reopen at one instant', a: dormancyOverride(1, 9, { id: 'z' }), b: reopen(1, { id: 'a' }) },
    { given: 'a reopen and a closure at one instant', a: reopen(1, { id: 'z' }), b: closure(2, 1, { id: 'a' }) },
    { given: 'two sightings at one instant', a: sighting(1, { id: 'a' }), b: sighting(1, { id: 'b' }) },
  ])('given $given, when ordered, then the first is applied first', ({ a, b }) => {
    expect(compareLineEvents(a, b)).toBeLessThan(0);
    expect(compareLineEvents(b, a)).toBeGreaterThan(0);
  });

  it('given offsets that differ, when ordered, then the instant counts, not the text', () => {
    const early = { ...sighting(0, { id: 'b' }), occurredAt: new Date('2026-01-01T10:00:00+02:00') };
    const late = { ...sighting(0, { id: 'a' }), occurredAt: new Date('2026-01-01T09:30:00Z') };
    expect(inEventTimeOrder([late, early])).toEqual([early, late]);
  });

  it('given two payloads under one id, when ordered, then one is kept, whatever the arrival order', () => {
    const first = sighting(1, { id: 'x' });
    const second = { ...first, area: 'keynsham' };
    expect(inEventTimeOrder([first, second])).toEqual(inEventTimeOrder([second, first]));
    expect(inEventTimeOrder([first, second, first])).toHaveLength(1);
  });
});
