import type { StateChangeV1 } from '@linewatch/contracts';
import { HANDLING_C_NOTICE, alertContent, type AlertCauseDetails, type AlertSeverity, type TransitionKind } from '@linewatch/domain';
import fc from 'fast-check';
import { aStateChange as change } from './testing/state-change.factory';

const AREA_NAMES = { bath: 'Bath', keynsham: 'Keynsham', paulton: 'Paulton', radstock: 'Radstock' };
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
