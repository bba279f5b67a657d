import {
  DEFAULT_DORMANCY_POLICY,
  DomainError,
  computeTimeline,
  decide,
  evolveAll,
  initialState,
  lineStateDecider,
  type DormancyPolicy,
  type EnforcementType,
  type LineCommand,
  type LineEvent,
  type LineTimeline,
} from '@linewatch/domain';
import {
  LINE,
  POLICY,
  closure,
  day,
  dormancyOverride,
  enforcement,
  numberChanged,
  periodsOf,
  raid,
  referral,
  reopen,
  sighting,
} from './testing/line-events.factory';

const MS = 1 / (24 * 60 * 60 * 1000); // one millisecond, in days

interface Row {
  readonly given: string;
  readonly when: string;
  readonly events: readonly LineEvent[];
  readonly now: number;
  readonly policy?: DormancyPolicy;
  readonly then: readonly string[];
}

const ENFORCEMENT: readonly EnforcementType[] = ['enforcement.raid', 'enforcement.arrest', 'enforcement.seizure', 'line.deactivated'];

describe('line state transitions (computeTimeline)', () => {
  it.each<Row>([
    // sightings
    { given: 'a line never seen', when: 'sighted', events: [sighting(0)], now: 1, then: ['active@0:new'] },
    {
      given: 'a dormant line',
      when: 'sighted',
      events: [sighting(0), sighting(40)],
      now: 41,
      then: ['active@0:new', 'dormant@28:went_dormant', 'active@40:reactivated'],
    },
    {
      given: 'a disrupted line',
      when: 'sighted',
      events: [sighting(0), raid(2), sighting(5)],
      now: 6,
      then: ['active@0:new', 'disrupted@2:disrupted', 'active@5:resurfaced'],
    },
    {
      given: 'a closed line',
      when: 'sighted',
      events: [sighting(0), closure(1, 2), sighting(5)],
      now: 6,
      then: ['active@0:new', 'closed1@2:closed', 'active@5:resurfaced'],
    },
    {
      given: 'a closed line',
      when: 'an assessment reopens it',
      events: [sighting(0), closure(2, 2), reopen(5)],
      now: 6,
      then: ['active@0:new', 'closed2@2:closed', 'active@5:resurfaced'],
    },
    {
      given: 'a dormant line',
      when: 'an assessment reopens it',
      events: [sighting(0), reopen(30)],
      now: 31,
      then: ['active@0:new', 'dormant@28:went_dormant', 'active@30:reactivated'],
    },
    { given: 'a line never seen', when: 'an assessment reopens it', events: [reopen(0)], now: 1, then: ['active@0:new'] },
    { given: 'an active line', when: 'sighted again', events: [sighting(0), sighting(3)], now: 4, then: ['active@0:new'] },
    // number change = sighting
    { given: 'a line never seen', when: 'its number changes', events: [numberChanged(0)], now: 1, then: ['active@0:new'] },
    {
      given: 'a dormant line',
      when: 'its number changes',
      events: [sighting(0), numberChanged(40)],
      now: 41,
      then: ['active@0:new', 'dormant@28:went_dormant', 'active@40:reactivated'],
    },
    {
      given: 'a disrupted line',
      when: 'its number changes',
      events: [sighting(0), raid(1), numberChanged(2)],
      now: 3,
      then: ['active@0:new', 'disrupted@1:disrupted', 'active@2:resurfaced'],
    },
    {
      given: 'an active line',
      when: 'its number changes on day 20 (restarts the clock)',
      events: [sighting(0), numberChanged(20)],
      now: 48 - MS,
      then: ['active@0:new'],
    },
    // enforcement
    ...ENFORCEMENT.map((type): Row => ({
      given: 'an active line',
      when: type,
      events: [sighting(0), enforcement(type, 2)],
      now: 3,
      then: ['active@0:new', 'disrupted@2:disrupted'],
    })),
    ...ENFORCEMENT.map((type): Row => ({
      given: 'a line never seen',
      when: type,
      events: [enforcement(type, 0)],
      now: 1,
      then: ['disrupted@0:disrupted'],
    })),
    {
      given: 'a dormant line',
      when: 'a seizure',
      events: [sighting(0), enforcement('enforcement.seizure', 30)],
      now: 31,
      then: ['active@0:new', 'dormant@28:went_dormant', 'disrupted@30:disrupted'],
    },
    {
      given: 'a disrupted line',
      when: 'more enforcement',
      events: [raid(0), enforcement('enforcement.arrest', 1)],
      now: 2,
      then: ['disrupted@0:disrupted'],
    },
    {
      given: 'a closed line',
      when: 'raid, arrest, seizure, deactivation (closed stays closed)',
      events: [sighting(0), closure(1, 1), ...ENFORCEMENT.map((type, i) => enforcement(type, 2 + i))],
      now: 10,
      then: ['active@0:new', 'closed1@1:closed'],
    },
    {
      given: 'a disrupted line',
      when: 'never sighted for longer than the window (only active lines go dormant)',
      events: [sighting(0), raid(1)],
      now: 100,
      then: ['active@0:new', 'disrupted@1:disrupted'],
    },
    // closures
    {
      given: 'an active line',
      when: 'closure type 1',
      events: [sighting(0), closure(1, 1)],
      now: 2,
      then: ['active@0:new', 'closed1@1:closed'],
    },
    {
      given: 'an active line',
      when: 'closure type 2',
      events: [sighting(0), closure(2, 1)],
      now: 2,
      then: ['active@0:new', 'closed2@1:closed'],
    },
    {
      given: 'a disrupted line',
      when: 'closure type 2',
      events: [sighting(0), raid(1), closure(2, 2)],
      now: 3,
      then: ['active@0:new', 'disrupted@1:disrupted', 'closed2@2:closed'],
    },
    {
      given: 'a dormant line',
      when: 'closure type 1',
      events: [sighting(0), closure(1, 30)],
      now: 31,
      then: ['active@0:new', 'dormant@28:went_dormant', 'closed1@30:closed'],
    },
    { given: 'a line never seen', when: 'closure type 2', events: [closure(2, 0)], now: 1, then: ['closed2@0:closed'] },
    {
      given: 'a line closed type 1',
      when: 'assessed closed type 2 (the first closure stands)',
      events: [sighting(0), closure(1, 1), closure(2, 2)],
      now: 3,
      then: ['active@0:new', 'closed1@1:closed'],
    },
    // E grading
    { given: 'a line never seen', when: 'an E-graded sighting', events: [sighting(0, { grade: 'E' })], now: 1, then: [] },
    {
      given: 'a dormant line',
      when: 'an E-graded sighting',
      events: [sighting(0), sighting(30, { grade: 'E' })],
      now: 31,
      then: ['active@0:new', 'dormant@28:went_dormant'],
    },
    {
      given: 'an active line',
      when: 'an E-graded sighting on day 20 (does not restart the clock)',
      events: [sighting(0), sighting(20, { grade: 'E' })],
      now: 29,
      then: ['active@0:new', 'dormant@28:went_dormant'],
    },
    {
      given: 'a disrupted line',
      when: 'an E-graded number change',
      events: [raid(0), numberChanged(1, { grade: 'E' })],
      now: 2,
      then: ['disrupted@0:disrupted'],
    },
    {
      given: 'an active line',
      when: 'an E-graded closure',
      events: [sighting(0), closure(1, 1, { grade: 'E' })],
      now: 2,
      then: ['active@0:new'],
    },
    {
      given: 'a closed line',
      when: 'an E-graded reopen',
      events: [sighting(0), closure(2, 1), reopen(2, { grade: 'E' })],
      now: 3,
      then: ['active@0:new', 'closed2@1:closed'],
    },
    {
      given: 'an active line',
      when: 'an E-graded 60-day window',
      events: [sighting(0), dormancyOverride(1, 60, { grade: 'E' })],
      now: 29,
      then: ['active@0:new', 'dormant@28:went_dormant'],
    },
    {
      given: 'an active line',
      when: 'an E-graded raid (enforcement is not exempt)',
      events: [sighting(0), raid(1, { grade: 'E' })],
      now: 2,
      then: ['active@0:new', 'disrupted@1:disrupted'],
    },
    // referrals
    { given: 'an active line', when: 'a referral', events: [sighting(0), referral(1)], now: 2, then: ['active@0:new'] },
    { given: 'a line never seen', when: 'a referral', events: [referral(0)], now: 1, then: [] },
    // dormancy
    {
      given: 'a line sighted on day 0, default window 28',
      when: 'now is exactly day 28',
      events: [sighting(0)],
      now: 28,
      then: ['active@0:new', 'dormant@28:went_dormant'],
    },
    {
      given: 'a line sighted on day 0, default window 28',
      when: 'now is 1 ms before day 28 (not materialised before now)',
      events: [sighting(0)],
      now: 28 - MS,
      then: ['active@0:new'],
    },
    {
      given: 'a line sighted on day 0, global window 10',
      when: 'now is day 10',
      events: [sighting(0)],
      now: 10,
      policy: { defaultDays: 10, byArea: {} },
      then: ['active@0:new', 'dormant@10:went_dormant'],
    },
    {
      given: 'a line sighted in keynsham (area window 14)',
      when: 'now is day 14',
      events: [sighting(0, { area: 'keynsham' })],
      now: 14,
      then: ['active@0:new', 'dormant@14:went_dormant'],
    },
    {
      given: 'a line sighted in keynsham (area window 14)',
      when: 'now is 1 ms before day 14',
      events: [sighting(0, { area: 'keynsham' })],
      now: 14 - MS,
      then: ['active@0:new'],
    },
    {
      given: 'a line sighted in bath then in keynsham on day 1',
      when: 'now is day 15 (the latest sighting gives the area)',
      events: [sighting(0), sighting(1, { area: 'keynsham' })],
      now: 15,
      then: ['active@0:new', 'dormant@15:went_dormant'],
    },
    {
      given: 'a line sighted in keynsham then in bath on day 1',
      when: 'now is day 28 (bath has the default window)',
      events: [sighting(0, { area: 'keynsham' }), sighting(1)],
      now: 28,
      then: ['active@0:new'],
    },
    {
      given: 'a line with its own 7-day window set on day 1',
      when: 'now is day 7',
      events: [sighting(0), dormancyOverride(1, 7)],
      now: 7,
      then: ['active@0:new', 'dormant@7:went_dormant'],
    },
    {
      given: 'a keynsham line (area 14) with its own 60-day window',
      when: 'now is day 59 (area does not overwrite the override)',
      events: [sighting(0, { area: 'keynsham' }), dormancyOverride(1, 60)],
      now: 59,
      then: ['active@0:new'],
    },
    {
      given: 'a keynsham line (area 14) with its own 60-day window',
      when: 'now is day 60',
      events: [sighting(0, { area: 'keynsham' }), dormancyOverride(1, 60)],
      now: 60,
      then: ['active@0:new', 'dormant@60:went_dormant'],
    },
    {
      given: 'a line with its own 60-day window under a global window of 10',
      when: 'now is day 59 (global does not overwrite the override)',
      events: [sighting(0), dormancyOverride(1, 60)],
      now: 59,
      policy: { defaultDays: 10, byArea: {} },
      then: ['active@0:new'],
    },
    {
      given: 'a 40-day window set before the line was seen, then a keynsham sighting on day 5',
      when: 'now is day 45',
      events: [dormancyOverride(0, 40), sighting(5, { area: 'keynsham' })],
      now: 45,
      then: ['active@5:new', 'dormant@45:went_dormant'],
    },
    {
      given: 'a line sighted on day 0',
      when: 'a 7-day window is set on day 20 (dormant from the override, not retroactively)',
      events: [sighting(0), dormancyOverride(20, 7)],
      now: 21,
      then: ['active@0:new', 'dormant@20:went_dormant'],
    },
    {
      given: 'a line sighted on day 0',
      when: 'a 60-day window is set at exactly day 28 (in time)',
      events: [sighting(0), dormancyOverride(28, 60)],
      now: 59,
      then: ['active@0:new'],
    },
    {
      given: 'a line dormant since day 28',
      when: 'a 60-day window is set on day 30 (does not reactivate)',
      events: [sighting(0), dormancyOverride(30, 60)],
      now: 31,
      then: ['active@0:new', 'dormant@28:went_dormant'],
    },
    {
      given: 'a line sighted on day 0',
      when: 'sighted again at exactly day 28 (in time: no dormancy)',
      events: [sighting(0), sighting(28)],
      now: 29,
      then: ['active@0:new'],
    },
    {
      given: 'a line reopened on day 20',
      when: 'now is day 48 (a reopen restarts the clock)',
      events: [sighting(0), closure(1, 10), reopen(20)],
      now: 48,
      then: ['active@0:new', 'closed1@10:closed', 'active@20:resurfaced', 'dormant@48:went_dormant'],
    },
    {
      given: 'a line sighted on day 0',
      when: 'a referral on day 30 (dormancy before it is still materialised)',
      events: [sighting(0), referral(30)],
      now: 31,
      then: ['active@0:new', 'dormant@28:went_dormant'],
    },
    // same instant
    {
      given: 'a sighting and a raid at the same instant',
      when: 'the raid has the smaller id (type precedence first)',
      events: [raid(0, { id: 'a' }), sighting(0, { id: 'b' })],
      now: 1,
      then: ['active@0:new', 'disrupted@0:disrupted'],
    },
    {
      given: 'a reopen and a closure at the same instant',
      when: 'applied',
      events: [closure(1, 1, { id: 'a' }), reopen(1, { id: 'b' }), sighting(0)],
      now: 2,
      then: ['active@0:new', 'closed1@1:closed'],
    },
  ])('given $given, when $when, then $then', ({ events, now, policy, then }) => {
    expect(periodsOf(computeTimeline(LINE, events, day(now), policy ?? POLICY))).toEqual(then);
  });

  it('given a line sighted in two areas, when computed, then it records the latest sighting, its area and every area', () => {
    const timeline = computeTimeline(LINE, [sighting(0, { area: 'keynsham' }), raid(1, { area: 'paulton' }), sighting(2)], day(3), POLICY);
    expect(timeline).toMatchObject({ state: 'active', lastSightingAt: day(2), area: 'bath', areas: ['bath', 'keynsham', 'paulton'] });
  });

  it('given referrals (one E-graded) and one for another line, when computed, then it counts the line’s referrals', () => {
    const events = [sighting(0), referral(1), referral(2, { grade: 'E' }), referral(3, { line: 'other' })];
    const timeline = computeTimeline(LINE, events, day(4), POLICY);
    expect(timeline.referrals).toBe(2);
    expect(timeline.evidence).toHaveLength(3);
  });

  it('given windows set on days 1 and 5, when computed, then the latest is in force and both are kept', () => {
    const timeline = computeTimeline(LINE, [sighting(0), dormancyOverride(1, 7), dormancyOverride(5, 60)], day(10), POLICY);
    expect(timeline.dormancyOverrideDays).toBe(60);
    expect(timeline.dormancyOverrides.map((o) => o.days)).toEqual([7, 60]);
    expect(timeline.state).toBe('active');
  });

  it('given an E-graded sighting, when computed, then it is on the timeline as evidence with no effect', () => {
    const ignored = sighting(30, { grade: 'E', area: 'paulton' });
    const timeline = computeTimeline(LINE, [sighting(0), ignored], day(31), POLICY);
    expect(timeline.evidence.map((e) => e.effect)).toEqual([{ kind: 'changed_state', transition: 'new' }, { kind: 'graded_e_ignored' }]);
    expect(timeline).toMatchObject({ lastSightingAt: day(0), area: 'bath', areas: ['bath'] });
  });

  it('given a redelivered event, when computed, then it counts once', () => {
    const seen = sighting(0);
    const referred = referral(1);
    const timeline = computeTimeline(LINE, [seen, referred, referred, seen], day(2), POLICY);
    expect(timeline.evidence).toHaveLength(2);
    expect(timeline.referrals).toBe(1);
  });

  it('given no events, when computed, then the line has no state', () => {
    expect(computeTimeline(LINE, [], day(0), DEFAULT_DORMANCY_POLICY)).toEqual({ ...initialState(LINE), asOf: day(0) });
  });

  it.each([
    { when: 'a referral dated day 30', events: [sighting(0), referral(30)], then: ['active@0:new'] },
    { when: 'an E-graded sighting dated day 30', events: [sighting(0), sighting(30, { grade: 'E' })], then: ['active@0:new'] },
    { when: 'a raid dated day 30', events: [sighting(0), raid(30)], then: ['active@0:new'] },
  ])('given now is day 20, when $when (after now), then it is pending and changes nothing yet', ({ events, then }) => {
    const timeline = computeTimeline(LINE, events, day(20), POLICY);
    expect(periodsOf(timeline)).toEqual(then);
    expect(timeline.pending).toEqual([events[1]]);
    expect(timeline.evidence).toHaveLength(1);
  });
});

describe('the decider', () => {
  const decider = lineStateDecider(LINE, POLICY);
  const run = (state: LineTimeline, command: LineCommand): LineTimeline => evolveAll(state, decider.decide(command, state));
  /** Record the events, then move the clock to `now`. */
  const fold = (events: readonly LineEvent[], now: number): LineTimeline =>
    run(
      events.reduce((state, event) => run(state, { type: 'RecordEvidence', event }), decider.initialState()),
      { type: 'Tick', now: day(now) },
    );
  const wentDormant = (at: number) =>
    ({
      type: 'LineStateChanged',
      lineId: LINE,
      from: 'active',
      to: 'dormant',
      at: day(at),
      kind: 'went_dormant',
      causeEventId: null,
    }) as const;
  const clock = (now: number) => ({ type: 'ClockAdvanced', lineId: LINE, now: day(now) }) as const;

  it('given a fresh line (no clock yet), when an event is recorded, then it waits for the clock', () => {
    const seen = sighting(0);
    expect(decider.decide({ type: 'RecordEvidence', event: seen }, decider.initialState())).toEqual([
      { type: 'EvidenceDeferred', lineId: LINE, event: seen },
    ]);
  });

  it('given a line at day 1, when a sighting dated day 40 is recorded, then it is pending until a tick reaches it', () => {
    const later = sighting(40, { id: 'late' });
    const state = run(fold([sighting(0, { id: 'first' })], 1), { type: 'RecordEvidence', event: later });
    expect(state).toMatchObject({ state: 'active', pending: [later], asOf: day(1) });
    expect(decider.decide({ type: 'Tick', now: day(41) }, state)).toEqual([
      wentDormant(28),
      { type: 'EvidenceRecorded', lineId: LINE, evidence: { event: later, effect: { kind: 'changed_state', transition: 'reactivated' } } },
      { type: 'LineSighted', lineId: LINE, eventId: 'late', at: day(40), area: 'bath' },
      { type: 'LineStateChanged', lineId: LINE, from: 'dormant', to: 'active', at: day(40), kind: 'reactivated', causeEventId: 'late' },
      clock(41),
    ]);
  });

  it('given a line at day 50, dormant since day 28, when a sighting dated day 40 is recorded, then it applies at once', () => {
    const later = sighting(40, { id: 'late' });
    expect(decider.decide({ type: 'RecordEvidence', event: later }, fold([sighting(0)], 50))).toEqual([
      { type: 'EvidenceRecorded', lineId: LINE, evidence: { event: later, effect: { kind: 'changed_state', transition: 'reactivated' } } },
      { type: 'LineSighted', lineId: LINE, eventId: 'late', at: day(40), area: 'bath' },
      { type: 'LineStateChanged', lineId: LINE, from: 'dormant', to: 'active', at: day(40), kind: 'reactivated', causeEventId: 'late' },
    ]);
  });

  it.each([
    { at: '1 ms before day 28', now: 28 - MS, says: 'only the clock moves', then: [clock(28 - MS)] },
    { at: 'day 28', now: 28, says: 'dormant at day 28', then: [wentDormant(28), clock(28)] },
    { at: 'day 90', now: 90, says: 'dormant at day 28', then: [wentDormant(28), clock(90)] },
    { at: 'day 0.5', now: 0.5, says: 'nothing (the clock never goes back)', then: [] },
  ])('given a line sighted on day 0 with its clock at day 1, when the sweep ticks at $at, then $says', ({ now, then }) => {
    expect(decide({ type: 'Tick', now: day(now) }, fold([sighting(0)], 1), POLICY)).toEqual(then);
  });

  it('given a closure, when recorded, then the state change carries the closure type', () => {
    const closed = closure(2, 1, { id: 'c' });
    expect(decider.decide({ type: 'RecordEvidence', event: closed }, fold([sighting(0)], 2))).toContainEqual({
      type: 'LineStateChanged',
      lineId: LINE,
      from: 'active',
      to: 'closed',
      at: day(1),
      kind: 'closed',
      causeEventId: 'c',
      closureType: 2,
    });
  });

  it.each([
    { given: 'applied', now: 6 },
    { given: 'pending', now: 0 },
  ])('given an event already $given, when recorded again, then nothing is decided (idempotent)', ({ now }) => {
    const seen = sighting(0);
    const referred = referral(5);
    const state = fold([seen, referred], now);
    expect(decider.decide({ type: 'RecordEvidence', event: seen }, state)).toEqual([]);
    expect(decider.decide({ type: 'RecordEvidence', event: referred }, state)).toEqual([]);
  });

  it.each([
    { when: 'an event for another line', event: sighting(1, { line: 'other' }), code: 'wrong_line' },
    { when: 'an event earlier than the last applied', event: sighting(1), code: 'out_of_order' },
    { when: 'an event at the same instant with an earlier type', event: referral(2), code: 'out_of_order' },
  ])('given a line with events up to day 2, when $when is recorded, then it refuses with $code', ({ event, code }) => {
    const state = fold([sighting(0), raid(2)], 3);
    expect(() => decider.decide({ type: 'RecordEvidence', event }, state)).toThrow(expect.objectContaining({ code }));
    expect(() => decider.decide({ type: 'RecordEvidence', event }, state)).toThrow(DomainError);
  });

  it('given dormancy swept in at day 28, when an event at day 28 is recorded, then it refuses (it would have come first)', () => {
    const swept = fold([sighting(0)], 30);
    expect(() => decider.decide({ type: 'RecordEvidence', event: referral(28) }, swept)).toThrow(
      expect.objectContaining({ code: 'out_of_order' }),
    );
    expect(run(swept, { type: 'RecordEvidence', event: referral(29) }).referrals).toBe(1);
  });
});
