import type { StateChangeV1 } from '@linewatch/contracts';
import {
  HANDLING_C_NOTICE,
  alertContent,
  deliverNow,
  digestGroups,
  escalationDue,
  inQuietHours,
  nextEscalationAt,
  quietHoursEnd,
  severityOf,
  silenceFor,
  teamsFor,
  type AlertCauseDetails,
  type AlertSeverity,
  type DigestCandidate,
  type EscalationState,
  type QuietHoursRule,
  type SeverityPolicy,
  type Silence,
  type TransitionKind,
} from '@linewatch/domain';
import fc from 'fast-check';

const at = (iso: string) => new Date(iso);

const POLICY: SeverityPolicy = {
  severityByKind: { resurfaced: 'high', reactivated: 'high', new: 'medium', disrupted: 'medium', closed: 'low', went_dormant: 'low' },
  referralsRaiseSeverity: true,
};

const TEAM_OF_AREA = {
  bath: 'bath-npt',
  keynsham: 'keynsham-npt',
  saltford: 'keynsham-npt',
  paulton: 'somer-valley-npt',
  radstock: 'somer-valley-npt',
};
const AREA_NAMES = { bath: 'Bath', keynsham: 'Keynsham', paulton: 'Paulton', radstock: 'Radstock' };

const change = (overrides: Partial<StateChangeV1> = {}): StateChangeV1 => ({
  schema: 'line.state-change.v1',
  changeId: '0b8f7c52-4a9e-4d55-9a43-2f6f1d1f6a10',
  lineId: 'JAY-01',
  from: 'dormant',
  to: 'active',
  kind: 'reactivated',
  at: '2026-03-29T01:30:00Z',
  late: false,
  cause: {
    eventId: '5d9b8a1e-7c3f-4e2a-8b6d-1a2b3c4d5e6f',
    kind: 'reactivated',
    type: 'line.sighting',
    grading: { source: '2', intelligence: 'B', handling: 'P' },
  },
  area: 'paulton',
  areas: ['paulton', 'radstock'],
  referrals: 0,
  trigger: 'events',
  detectedAt: '2026-03-29T01:31:00Z',
  ...overrides,
});
const handling = (code: 'P' | 'C'): Partial<StateChangeV1> => ({
  cause: {
    eventId: '5d9b8a1e-7c3f-4e2a-8b6d-1a2b3c4d5e6f',
    kind: 'reactivated',
    type: 'line.sighting',
    grading: { source: '2', intelligence: 'B', handling: code },
  },
});

const CAUSE: AlertCauseDetails = {
  sourceSystem: 'CRIMINT',
  sourceReference: 'AS/2026/004417',
  numbers: ['07700900123', '356938035643809'],
};
const ACK = 'https://linewatch.example.invalid/v1/alerts/a1/ack';

describe('severityOf', () => {
  it.each<[TransitionKind, AlertSeverity]>([
    ['resurfaced', 'high'],
    ['reactivated', 'high'],
    ['new', 'medium'],
    ['disrupted', 'medium'],
    ['closed', 'low'],
    ['went_dormant', 'low'],
  ])('given a %s change and no referrals, when its severity is taken, then it is %s', (kind, expected) => {
    expect(severityOf({ kind, referrals: 0 }, POLICY)).toBe(expected);
  });

  it.each<[string, TransitionKind, number, AlertSeverity, SeverityPolicy]>([
    ['a team override of the kind', 'new', 0, 'critical', { ...POLICY, overrides: { new: 'critical' } }],
    ['a team override of another kind', 'disrupted', 0, 'medium', { ...POLICY, overrides: { new: 'critical' } }],
    ['a team override lowering the kind', 'resurfaced', 0, 'low', { ...POLICY, overrides: { resurfaced: 'low' } }],
    ['referrals on a low change', 'went_dormant', 1, 'medium', POLICY],
    ['referrals on a medium change', 'new', 3, 'high', POLICY],
    ['referrals on a high change', 'resurfaced', 2, 'critical', POLICY],
    ['referrals on a critical override (the cap)', 'new', 2, 'critical', { ...POLICY, overrides: { new: 'critical' } }],
    ['referrals raising over an override', 'closed', 1, 'high', { ...POLICY, overrides: { closed: 'medium' } }],
    ['referrals with raising switched off', 'new', 4, 'medium', { ...POLICY, referralsRaiseSeverity: false }],
  ])('given %s, when a %s change with %i referrals is rated, then it is %s', (_name, kind, referrals, expected, policy) => {
    expect(severityOf({ kind, referrals }, policy)).toBe(expected);
  });
});

describe('teamsFor', () => {
  it.each<[string, string[], Pick<StateChangeV1, 'areas' | 'area'>]>([
    ['one area', ['bath-npt'], { areas: ['bath'], area: 'bath' }],
    [
      'a line across three teams',
      ['bath-npt', 'keynsham-npt', 'somer-valley-npt'],
      { areas: ['radstock', 'bath', 'keynsham'], area: 'radstock' },
    ],
    ['two areas of one team', ['keynsham-npt'], { areas: ['keynsham', 'saltford'], area: 'saltford' }],
    ['a latest area missing from areas', ['bath-npt', 'somer-valley-npt'], { areas: ['bath'], area: 'paulton' }],
    ['no latest area (never sighted)', ['somer-valley-npt'], { areas: ['paulton'], area: null }],
    ['an unknown area', ['bath-npt'], { areas: ['bath', 'gotham'], area: 'gotham' }],
    ['an area named like an object property', [], { areas: ['constructor', 'toString'], area: null }],
    ['no areas', [], { areas: [], area: null }],
  ])('given %s, when the change is routed, then the teams are %j', (_name, expected, given) => {
    expect(teamsFor(given, TEAM_OF_AREA)).toEqual(expected);
  });
});

describe('silenceFor', () => {
  const NOW = at('2026-06-01T12:00:00Z');
  const silence = (id: string, extra: Partial<Silence>): Silence => ({
    id,
    from: at('2026-06-01T08:00:00Z'),
    until: at('2026-06-01T20:00:00Z'),
    reason: 'planned operation',
    ...extra,
  });
  const LINE = { lineId: 'JAY-01', areas: ['paulton', 'radstock'] };

  it.each<[string, string | null, Silence[]]>([
    ['no silences', null, []],
    ['a silence of the line', 's1', [silence('s1', { lineId: 'JAY-01' })]],
    ['a silence of another line', null, [silence('s1', { lineId: 'KAY-02' })]],
    ['a silence of one of its areas', 's1', [silence('s1', { area: 'radstock' })]],
    ['a silence of another area', null, [silence('s1', { area: 'bath' })]],
    ['a silence of the line in one of its areas', 's1', [silence('s1', { lineId: 'JAY-01', area: 'paulton' })]],
    ['a silence of the line in another area', null, [silence('s1', { lineId: 'JAY-01', area: 'bath' })]],
    ['a silence naming neither line nor area', null, [silence('s1', {})]],
    ['an expired silence', null, [silence('s1', { lineId: 'JAY-01', until: at('2026-06-01T11:59:59Z') })]],
    ['a silence ending now', null, [silence('s1', { lineId: 'JAY-01', until: NOW })]],
    ['a silence not yet started', null, [silence('s1', { lineId: 'JAY-01', from: at('2026-06-01T12:00:01Z') })]],
    ['a silence starting now', 's1', [silence('s1', { lineId: 'JAY-01', from: NOW })]],
    [
      'two matching silences',
      's2',
      [silence('s1', { lineId: 'JAY-01' }), silence('s2', { area: 'paulton', until: at('2026-06-02T00:00:00Z') })],
    ],
  ])('given %s, when the change is checked at noon, then the silence is %s', (_name, expected, silences) => {
    expect(silenceFor(LINE, silences, NOW)?.id ?? null).toBe(expected);
  });
});

describe('quiet hours', () => {
  const SOMER_VALLEY: QuietHoursRule = { from: '23:00', to: '06:00', timeZone: 'Europe/London', minimumSeverity: 'high' };
  const OFFICE: QuietHoursRule = { ...SOMER_VALLEY, from: '09:00', to: '17:00' };

  describe('inQuietHours', () => {
    it.each<[string, string, boolean, QuietHoursRule]>([
      ['winter, a minute before the start', '2026-01-15T22:59:59Z', false, SOMER_VALLEY],
      ['winter, at the start', '2026-01-15T23:00:00Z', true, SOMER_VALLEY],
      ['winter, past midnight', '2026-01-16T02:00:00Z', true, SOMER_VALLEY],
      ['winter, the last minute', '2026-01-16T05:59:59Z', true, SOMER_VALLEY],
      ['winter, at the end', '2026-01-16T06:00:00Z', false, SOMER_VALLEY],
      ['winter, midday', '2026-01-16T12:00:00Z', false, SOMER_VALLEY],
      ['summer, 22:59 BST', '2026-07-15T21:59:00Z', false, SOMER_VALLEY],
      ['summer, 23:00 BST (22:00 UTC)', '2026-07-15T22:00:00Z', true, SOMER_VALLEY],
      ['summer, 05:59 BST', '2026-07-16T04:59:00Z', true, SOMER_VALLEY],
      ['summer, 06:00 BST (05:00 UTC)', '2026-07-16T05:00:00Z', false, SOMER_VALLEY],
      ['spring change day, 00:59 GMT', '2026-03-29T00:59:00Z', true, SOMER_VALLEY],
      ['spring change day, 02:00 BST just after the jump', '2026-03-29T01:00:00Z', true, SOMER_VALLEY],
      ['spring change day, 05:59 BST', '2026-03-29T04:59:00Z', true, SOMER_VALLEY],
      ['spring change day, 06:00 BST (05:00 UTC)', '2026-03-29T05:00:00Z', false, SOMER_VALLEY],
      ['autumn change day, 23:00 BST the evening before', '2026-10-24T22:00:00Z', true, SOMER_VALLEY],
      ['autumn change day, 01:30 BST', '2026-10-25T00:30:00Z', true, SOMER_VALLEY],
      ['autumn change day, 01:30 GMT (again)', '2026-10-25T01:30:00Z', true, SOMER_VALLEY],
      ['autumn change day, 05:59 GMT', '2026-10-25T05:59:00Z', true, SOMER_VALLEY],
      ['autumn change day, 06:00 GMT', '2026-10-25T06:00:00Z', false, SOMER_VALLEY],
      ['a day window, before it', '2026-01-15T08:59:00Z', false, OFFICE],
      ['a day window, at its start', '2026-01-15T09:00:00Z', true, OFFICE],
      ['a day window, its last minute', '2026-01-15T16:59:00Z', true, OFFICE],
      ['a day window, at its end', '2026-01-15T17:00:00Z', false, OFFICE],
      [
        'a window in the hour the spring change skips',
        '2026-03-29T01:00:00Z', // 02:00 BST: 01:00-02:00 never happened
        false,
        { ...SOMER_VALLEY, from: '01:00', to: '02:00' },
      ],
      ['New York, 22:00 EST', '2026-01-16T03:00:00Z', true, { ...SOMER_VALLEY, from: '22:00', to: '07:00', timeZone: 'America/New_York' }],
      ['New York, 07:00 EST', '2026-01-16T12:00:00Z', false, { ...SOMER_VALLEY, from: '22:00', to: '07:00', timeZone: 'America/New_York' }],
    ])('given %s (%s), when quiet hours are checked, then inside is %s', (_name, now, expected, rule) => {
      expect(inQuietHours(rule, at(now))).toBe(expected);
    });
  });

  describe('deliverNow', () => {
    it.each<[string, boolean, AlertSeverity, QuietHoursRule | undefined, string]>([
      ['no quiet hours, a low alert at night', true, 'low', undefined, '2026-01-16T02:00:00Z'],
      ['outside quiet hours, a low alert', true, 'low', SOMER_VALLEY, '2026-01-16T12:00:00Z'],
      ['inside quiet hours, a low alert', false, 'low', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
      ['inside quiet hours, a medium alert', false, 'medium', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
      ['inside quiet hours, a high alert (the minimum)', true, 'high', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
      ['inside quiet hours, a critical alert', true, 'critical', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
    ])('given %s, when delivery is decided, then now is %s', (_name, expected, severity, rule, now) => {
      expect(deliverNow(severity, rule, at(now))).toBe(expected);
    });
  });

  describe('quietHoursEnd', () => {
    const EARLY: QuietHoursRule = { ...SOMER_VALLEY, from: '00:30', to: '01:30' };
    const LATE_START: QuietHoursRule = { ...SOMER_VALLEY, from: '01:30', to: '03:00' };

    it.each<[string, string, string, QuietHoursRule]>([
      ['outside quiet hours', '2026-01-16T12:00:00Z', '2026-01-16T12:00:00.000Z', SOMER_VALLEY],
      ['winter, before midnight', '2026-01-15T23:30:00Z', '2026-01-16T06:00:00.000Z', SOMER_VALLEY],
      ['winter, after midnight', '2026-01-16T02:00:00Z', '2026-01-16T06:00:00.000Z', SOMER_VALLEY],
      ['summer, before midnight', '2026-07-15T22:30:00Z', '2026-07-16T05:00:00.000Z', SOMER_VALLEY],
      ['summer, after midnight', '2026-07-15T23:30:00Z', '2026-07-16T05:00:00.000Z', SOMER_VALLEY],
      ['the night the clocks go forward', '2026-03-28T23:30:00Z', '2026-03-29T05:00:00.000Z', SOMER_VALLEY],
      ['the night the clocks go back', '2026-10-24T22:30:00Z', '2026-10-25T06:00:00.000Z', SOMER_VALLEY],
      ['an end the spring change skips (01:30)', '2026-03-29T00:45:00Z', '2026-03-29T01:00:00.000Z', EARLY],
      ['an end the autumn change repeats, first time', '2026-10-24T23:45:00Z', '2026-10-25T00:30:00.000Z', EARLY],
      ['an end the autumn change repeats, second time', '2026-10-25T01:10:00Z', '2026-10-25T01:30:00.000Z', EARLY],
      ['the autumn change going back out of the window', '2026-10-25T00:45:00Z', '2026-10-25T01:00:00.000Z', LATE_START],
      ['a day window', '2026-01-15T10:00:00Z', '2026-01-15T17:00:00.000Z', OFFICE],
    ])('given %s, when the end of quiet hours is asked at %s, then it is %s', (_name, now, expected, rule) => {
      expect(quietHoursEnd(rule, at(now)).toISOString()).toBe(expected);
    });

    const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata'];
    // Around the 2026 clock changes of those zones, and an ordinary day.
    const BASES = [
      '2026-03-29T01:00:00Z',
      '2026-10-25T01:00:00Z',
      '2026-03-08T07:00:00Z',
      '2026-11-01T06:00:00Z',
      '2026-04-04T15:00:00Z',
      '2026-10-03T16:00:00Z',
      '2026-04-05T03:00:00Z',
      '2026-09-06T04:00:00Z',
      '2026-06-10T12:00:00Z',
    ].map(Date.parse);
    const clock = fc
      .integer({ min: 0, max: 24 * 60 - 1 })
      .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
    const MINUTE = 60_000;

    /** The first whole minute after `now` outside quiet hours, by stepping (window ends and clock changes fall on whole minutes). */
    const oracle = (rule: QuietHoursRule, now: number): number => {
      if (!inQuietHours(rule, new Date(now))) return now;
      let t = Math.floor(now / MINUTE) * MINUTE + MINUTE;
      while (inQuietHours(rule, new Date(t))) t += MINUTE;
      return t;
    };

    it('given any window, zone and instant near a clock change, when the end is asked, then it is the first instant after which quiet hours are over', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ZONES),
          clock,
          clock,
          fc.constantFrom(...BASES),
          fc.integer({ min: -36 * 60 * MINUTE, max: 36 * 60 * MINUTE }),
          (timeZone, from, to, base, offset) => {
            fc.pre(from !== to);
            const rule: QuietHoursRule = { from, to, timeZone, minimumSeverity: 'high' };
            const now = base + offset;
            expect(quietHoursEnd(rule, new Date(now)).getTime()).toBe(oracle(rule, now));
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});

describe('alertContent', () => {
  const content = (overrides: Partial<StateChangeV1> = {}, severity: AlertSeverity = 'high', cause: AlertCauseDetails | null = CAUSE) =>
    alertContent(change(overrides), { severity, teamName: 'Somer Valley NPT', areaNames: AREA_NAMES, cause, ackUrl: ACK });

  it('given a reactivated line, then the subject names severity, line, change and place', () => {
    expect(content().subject).toBe('HIGH: line JAY-01 reactivated in Paulton');
  });

  it.each<[string, string, Partial<StateChangeV1>]>([
    ['a new line', 'MEDIUM: line JAY-01 first seen in Paulton', { kind: 'new', from: null }],
    ['a resurfaced line', 'MEDIUM: line JAY-01 resurfaced in Paulton', { kind: 'resurfaced', from: 'disrupted' }],
    ['a line gone dormant', 'MEDIUM: line JAY-01 went dormant in Paulton', { kind: 'went_dormant', from: 'active', to: 'dormant' }],
    [
      'a disrupted line never sighted',
      'MEDIUM: line JAY-01 disrupted in Bath, Keynsham',
      { kind: 'disrupted', from: null, to: 'disrupted', area: null, areas: ['bath', 'keynsham'] },
    ],
    [
      'a closed line',
      'MEDIUM: line JAY-01 closed (Type 1) in Paulton',
      { kind: 'closed', from: 'disrupted', to: 'closed', closureType: 1 },
    ],
    ['an area without a name', 'MEDIUM: line JAY-01 reactivated in saltford', { area: 'saltford', areas: ['saltford'] }],
    ['no areas at all', 'MEDIUM: line JAY-01 reactivated', { area: null, areas: [] }],
  ])('given %s, then the subject is %j', (_name, expected, overrides) => {
    expect(content(overrides, 'medium').subject).toBe(expected);
  });

  it.each<[string, Partial<StateChangeV1>, RegExp[]]>([
    [
      'a change on the night the clocks go forward',
      {},
      [
        /was dormant, now active/,
        /When: Sun 29 March 2026, 02:30 BST \(event time\)\./,
        /Severity: HIGH\./,
        /Areas: Paulton, Radstock\./,
        /Team: Somer Valley NPT\./,
      ],
    ],
    ['a winter change', { at: '2026-01-15T23:05:00Z' }, [/When: Thu 15 January 2026, 23:05 GMT/]],
    ['a late report', { late: true }, [/Reported late/]],
    ['referrals', { referrals: 2 }, [/Safeguarding referrals linked to the line: 2\./]],
    ['a Type 2 closure', { kind: 'closed', to: 'closed', closureType: 2 }, [/Closure: Type 2 \(number or SIM deactivated\)\./]],
    ['any change', {}, [/Grading of the cause: 2B, handling P\./, new RegExp(`Acknowledge: ${ACK.replace(/[./]/g, '\\$&')}$`)]],
  ])('given %s, then the text says so', (_name, overrides, expected) => {
    const { text } = content(overrides);
    for (const pattern of expected) expect(text).toMatch(pattern);
  });

  it('given a report on time, then the text does not call it late', () => {
    expect(content().text).not.toMatch(/late/i);
  });

  it('given handling code P, then the source, reference and numbers are in the text and fields', () => {
    const result = content(handling('P'));

    expect(result.sanitised).toBe(false);
    expect(result.text).toContain('Source: CRIMINT AS/2026/004417.');
    expect(result.text).toContain('Numbers: 07700900123, 356938035643809.');
    expect(result.text).not.toContain(HANDLING_C_NOTICE);
    expect(result.fields).toMatchObject({
      sourceSystem: 'CRIMINT',
      sourceReference: 'AS/2026/004417',
      numbers: '07700900123,356938035643809',
      causeEventId: '5d9b8a1e-7c3f-4e2a-8b6d-1a2b3c4d5e6f',
      lineId: 'JAY-01',
      kind: 'reactivated',
      severity: 'high',
      late: 'false',
      referrals: '0',
      ackUrl: ACK,
    });
  });

  it('given handling code C, then it is sanitised: the notice, and no source, reference, numbers or cause event', () => {
    const result = content(handling('C'));
    const everything = [result.subject, result.text, ...Object.keys(result.fields), ...Object.values(result.fields)].join('\n');

    expect(result.sanitised).toBe(true);
    expect(result.text).toContain(HANDLING_C_NOTICE);
    for (const secret of ['CRIMINT', 'AS/2026/004417', '07700900123', '356938035643809', '5d9b8a1e-7c3f-4e2a-8b6d-1a2b3c4d5e6f']) {
      expect(everything).not.toContain(secret);
    }
    expect(result.fields).not.toHaveProperty('sourceSystem');
    expect(result.fields).toMatchObject({ handling: 'C', lineId: 'JAY-01' });
  });

  it('given handling code C and a line id that is the number itself, then the number is withheld there too', () => {
    const result = content({ ...handling('C'), lineId: '07700900123' });

    expect(result.subject).toBe('HIGH: line [withheld] reactivated in Paulton');
    expect([result.text, ...Object.values(result.fields)].join('\n')).not.toContain('07700900123');
  });

  it('given no grading (dormancy), then there is no grading line and nothing is sanitised', () => {
    const result = content(
      {
        kind: 'went_dormant',
        from: 'active',
        to: 'dormant',
        trigger: 'dormancy_sweep',
        cause: { eventId: null, kind: 'went_dormant', type: null, grading: null },
      },
      'low',
      null,
    );

    expect(result.sanitised).toBe(false);
    expect(result.text).not.toMatch(/Grading|Source|Numbers/);
    expect(result.fields).not.toHaveProperty('causeEventId');
  });

  it('given handling code C and any source and numbers, then none of them appears in subject, text or fields', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const number = fc.oneof(
      digits(11, 11).map((d) => `07${d.slice(2)}`),
      digits(12, 12).map((d) => `+44${d.slice(3)}`),
      digits(15, 15),
    );
    const reference = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-'), minLength: 3, maxLength: 20 });
    const kinds: TransitionKind[] = ['new', 'reactivated', 'resurfaced', 'went_dormant', 'disrupted', 'closed'];

    fc.assert(
      fc.property(
        reference,
        reference,
        fc.array(number, { maxLength: 4 }),
        fc.constantFrom(...kinds),
        fc.boolean(),
        fc.nat({ max: 9 }),
        fc.constantFrom<AlertSeverity>('low', 'medium', 'high', 'critical'),
        (sourceSystem, sourceReference, numbers, kind, late, referrals, severity) => {
          const result = alertContent(change({ ...handling('C'), kind, late, referrals }), {
            severity,
            teamName: 'Somer Valley NPT',
            areaNames: AREA_NAMES,
            cause: { sourceSystem, sourceReference, numbers },
            ackUrl: ACK,
          });
          const everything = [result.subject, result.text, ...Object.keys(result.fields), ...Object.values(result.fields)].join('\n');

          expect(result.sanitised).toBe(true);
          for (const secret of [sourceSystem, sourceReference, ...numbers]) expect(everything).not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('escalation', () => {
  const LEVELS = [
    { level: 1, afterMinutes: 0 },
    { level: 2, afterMinutes: 15 },
    { level: 3, afterMinutes: 45 },
  ];
  const RAISED = at('2026-06-01T12:00:00Z');
  const minutes = (m: number) => new Date(RAISED.getTime() + m * 60_000);
  const alert = (level: number, extra: Partial<EscalationState> = {}): EscalationState => ({
    raisedAt: RAISED,
    level,
    acknowledgedAt: null,
    resolvedAt: null,
    ...extra,
  });

  it.each<[string, number | null, EscalationState, number]>([
    ['a new alert, at once', 1, alert(0), 0],
    ['level 1 sent, after 14 minutes', null, alert(1), 14],
    ['level 1 sent, after 15 minutes', 2, alert(1), 15],
    ['level 2 sent, after 44 minutes', null, alert(2), 44],
    ['level 2 sent, after 45 minutes', 3, alert(2), 45],
    ['level 1 sent, after 50 minutes (jumps to the highest due)', 3, alert(1), 50],
    ['a new alert found after an hour', 3, alert(0), 60],
    ['the top level sent', null, alert(3), 600],
    ['an acknowledged alert', null, alert(1, { acknowledgedAt: minutes(5) }), 50],
    ['a resolved alert', null, alert(1, { resolvedAt: minutes(5) }), 50],
  ])('given %s, when escalation is checked, then the level due is %s', (_name, expected, state, after) => {
    expect(escalationDue(state, LEVELS, minutes(after))).toBe(expected);
  });

  it.each<[string, Date | null, EscalationState]>([
    ['a new alert', minutes(0), alert(0)],
    ['level 1 sent', minutes(15), alert(1)],
    ['level 2 sent', minutes(45), alert(2)],
    ['the top level sent', null, alert(3)],
    ['an acknowledged alert', null, alert(1, { acknowledgedAt: minutes(5) })],
    ['a resolved alert', null, alert(2, { resolvedAt: minutes(20) })],
  ])('given %s, when the next escalation is asked, then it is %s', (_name, expected, state) => {
    expect(nextEscalationAt(state, LEVELS)).toEqual(expected);
  });

  it('given levels out of order, when escalation is checked, then the order does not matter', () => {
    const shuffled = [LEVELS[2], LEVELS[0], LEVELS[1]];

    expect(escalationDue(alert(1), shuffled, minutes(20))).toBe(2);
    expect(nextEscalationAt(alert(1), shuffled)).toEqual(minutes(15));
  });
});

describe('digestGroups', () => {
  const T = Date.parse('2026-06-01T12:00:00Z');
  const c = (alertId: string, teamId: string, seconds: number): DigestCandidate => ({
    alertId,
    teamId,
    raisedAt: new Date(T + seconds * 1000),
  });

  it.each<[string, { teamId: string; alertIds: string[] }[], DigestCandidate[]]>([
    ['nothing pending', [], []],
    [
      'three alerts of a team within the window',
      [{ teamId: 't1', alertIds: ['a', 'b', 'c'] }],
      [c('a', 't1', 0), c('b', 't1', 60), c('c', 't1', 120)],
    ],
    ['two alerts of a team (below the minimum)', [], [c('a', 't1', 0), c('b', 't1', 30)]],
    ['three alerts, the last past the window', [], [c('a', 't1', 0), c('b', 't1', 60), c('c', 't1', 121)]],
    [
      'alerts of two teams',
      [
        { teamId: 't1', alertIds: ['b', 'd', 'f'] },
        { teamId: 't2', alertIds: ['a', 'c', 'e'] },
      ],
      [c('a', 't2', 0), c('b', 't1', 10), c('c', 't2', 20), c('d', 't1', 30), c('e', 't2', 40), c('f', 't1', 50)],
    ],
    [
      'two bursts of one team',
      [
        { teamId: 't1', alertIds: ['a', 'b', 'c'] },
        { teamId: 't1', alertIds: ['d', 'e', 'f', 'g'] },
      ],
      [c('a', 't1', 0), c('b', 't1', 5), c('c', 't1', 10), c('d', 't1', 500), c('e', 't1', 505), c('f', 't1', 510), c('g', 't1', 515)],
    ],
    [
      'a burst counted from its first alert, not the previous one',
      [{ teamId: 't1', alertIds: ['c', 'd', 'e'] }],
      [c('a', 't1', 0), c('b', 't1', 100), c('c', 't1', 200), c('d', 't1', 210), c('e', 't1', 220)],
    ],
    ['alerts given out of order', [{ teamId: 't1', alertIds: ['a', 'b', 'c'] }], [c('c', 't1', 120), c('a', 't1', 0), c('b', 't1', 60)]],
  ])('given %s, when digests are formed (120 s, at least 3), then they are %j', (_name, expected, pending) => {
    expect(digestGroups(pending, 120, 3)).toEqual(expected);
  });

  it('given any pending alerts in any order, then the digests are the same and each is one team within the window', () => {
    const candidate = fc.record({ alertId: fc.uuid(), teamId: fc.constantFrom('t1', 't2', 't3'), seconds: fc.nat({ max: 900 }) });
    fc.assert(
      fc.property(
        fc.uniqueArray(candidate, { selector: (x) => x.alertId, maxLength: 30 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 2, max: 5 }),
        (given, window, minimum) => {
          const pending = given.map((g) => c(g.alertId, g.teamId, g.seconds));
          const groups = digestGroups(pending, window, minimum);
          const byId = new Map(pending.map((p) => [p.alertId, p]));

          expect(digestGroups([...pending].reverse(), window, minimum)).toEqual(groups);
          for (const group of groups) {
            const times = group.alertIds.map((id) => byId.get(id)?.raisedAt.getTime() ?? NaN);
            expect(group.alertIds.length).toBeGreaterThanOrEqual(minimum);
            expect(group.alertIds.every((id) => byId.get(id)?.teamId === group.teamId)).toBe(true);
            expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(window * 1000);
          }
          expect(new Set(groups.flatMap((g) => g.alertIds)).size).toBe(groups.flatMap((g) => g.alertIds).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
