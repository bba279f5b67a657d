/**
 * Naming a line by number or handset (the submission form), the resolved event intake makes of it,
 * and the link decisions' contract. Every v1 event stays what it was.
 */
import fc from 'fast-check';
import {
  ResolutionError,
  csvRecordToEvent,
  eventToCsvRecord,
  identifiersToResolve,
  isLuhnValid,
  normaliseImei,
  normalisePhoneNumber,
  parseAndValidateIntelEvent,
  resolutionOf,
  resolveIntelEvent,
  validateIntelEvent,
  validateIntelSubmission,
  validateLineLink,
  type IntelEventSubmission,
  type LineResolution,
  type Validated,
} from '@linewatch/contracts';
import { ARBITRARY_EVENTS_NOW, aRaid, aSighting, anyValidEvent } from '@linewatch/testing';

const context = { now: new Date('2026-12-01T09:00:00Z'), maxFutureSkewMs: 5 * 60 * 1000 };

function accepted<T>(result: Validated<T>): T {
  if (!result.ok) throw new Error(`expected it accepted: ${JSON.stringify(result)}`);
  return result.event;
}

function rejected<T>(result: Validated<T>) {
  if (result.ok) throw new Error('expected a rejection');
  return result;
}

/** A sighting naming its line by `line` instead of `lineId`. */
function byIdentifier(line: unknown, extra: Record<string, unknown> = {}) {
  const { lineId: _lineId, ...rest } = aSighting({ body: { kind: 'test_purchase', brand: 'Jay' } }) as Record<string, unknown>;
  return { ...rest, line, ...extra };
}

const heldBy =
  (lineId: string, how: LineResolution['how'] = 'held') =>
  (): LineResolution => ({ lineId, how });

describe('identifiers', () => {
  it.each([
    ['490154203237518', true],
    ['490154203237519', false],
    ['353918057812345', true],
    ['79927398713', true],
    ['12a', false],
  ])('Luhn of %s is %s', (digits, valid) => {
    expect(isLuhnValid(digits)).toBe(valid);
  });

  it.each([
    ['35-391805-781234-5', '353918057812345'],
    ['35 391805 781234 5', '353918057812345'],
    ['353918057812345', '353918057812345'],
    ['353918057812346', null],
    ['3539180578123451', null],
    ['35391805781234', null],
    ['35_391805_781234_5', null],
  ])('normaliseImei(%s) is %s', (text, expected) => {
    expect(normaliseImei(text)).toBe(expected);
  });

  // normalisePhoneNumber remembers its parses: asked again, each answer is the first one's.
  it.each([
    ['07700 900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['(07700) 900-123', '+447700900123'],
    ['07700 90012', null],
    ['077009001234', null],
    ['call Jay', null],
    ['0'.repeat(26), null],
    ['', null],
  ])('normalisePhoneNumber(%s) is %s, the first time and every time after', (text, expected) => {
    expect([normalisePhoneNumber(text), normalisePhoneNumber(text), normalisePhoneNumber(text)]).toEqual([expected, expected, expected]);
  });
});

describe('validateIntelSubmission', () => {
  it('accepts a line named by number only, normalised to E.164, and validateIntelEvent calls it unresolved', () => {
    const input = byIdentifier({ msisdn: '07700 900123' });
    const event = accepted(validateIntelSubmission(input, context));
    expect(event.type === 'line.sighting' && [event.lineId, event.line]).toEqual([undefined, { msisdn: '+447700900123' }]);
    expect(rejected(validateIntelEvent(input, context))).toMatchObject({ code: 'UNRESOLVED_LINE', errors: [{ path: 'lineId' }] });
  });

  it('accepts a line named by handset, keeping the 15 digits', () => {
    const event = accepted(validateIntelSubmission(byIdentifier({ imei: '35-391805-781234-5' }), context));
    expect(event.type === 'line.sighting' && event.line).toEqual({ imei: '353918057812345' });
  });

  it('accepts a line named by both id and number (the conflict, if any, is for intake to flag)', () => {
    const event = accepted(validateIntelSubmission(byIdentifier({ msisdn: '+447700900123' }, { lineId: 'JAY-01' }), context));
    expect(event.type === 'line.sighting' && [event.lineId, event.line]).toEqual(['JAY-01', { msisdn: '+447700900123' }]);
  });

  it.each([
    ['a number a digit short', { msisdn: '07700 90012' }, 'INVALID_MSISDN', 'line.msisdn'],
    ['letters for a number', { msisdn: 'call Jay' }, 'INVALID_MSISDN', 'line.msisdn'],
    ['an IMEI with a wrong check digit', { imei: '490154203237519' }, 'INVALID_IMEI', 'line.imei'],
    ['an IMEI of 14 digits', { imei: '49015420323751' }, 'INVALID_IMEI', 'line.imei'],
    ['both a number and a handset', { msisdn: '07700 900123', imei: '490154203237518' }, 'INVALID_FIELDS', 'line'],
    ['neither', {}, 'INVALID_FIELDS', 'line'],
    [
      'a resolution (only LineWatch writes one)',
      { msisdn: '07700 900123', resolution: { lineId: 'X', how: 'held' } },
      'INVALID_FIELDS',
      'line.resolution',
    ],
  ])('refuses %s: %j → %s at %s', (_what, line, code, path) => {
    expect(rejected(validateIntelSubmission(byIdentifier(line), context))).toMatchObject({ code, errors: [{ path }] });
  });

  it('refuses an event naming no line at all, at lineId', () => {
    const { lineId: _lineId, ...noLine } = aSighting() as Record<string, unknown>;
    expect(rejected(validateIntelSubmission(noLine, context))).toMatchObject({ code: 'INVALID_FIELDS', errors: [{ path: 'lineId' }] });
  });

  it('keeps a body IMEI as v1 did: 15 digits, check digit not enforced (only identifiers naming the line are checked)', () => {
    const seizure = {
      ...(aSighting() as Record<string, unknown>),
      type: 'enforcement.seizure',
      body: { items: [{ kind: 'handset' }], imei: '490154203237519' },
    };
    expect(validateIntelEvent(seizure, context).ok).toBe(true);
    expect(validateIntelSubmission(seizure, context).ok).toBe(true);
  });

  it('accepts a raid naming lines by id and by identifier, and refuses one naming none or more than 50', () => {
    const raid: Record<string, unknown> = {
      ...(aRaid(['KAY-02']) as Record<string, unknown>),
      lines: [{ msisdn: '07700 900321' }, { imei: '353918057812345' }],
    };
    const event = accepted(validateIntelSubmission(raid, context));
    expect(event.type === 'enforcement.raid' && event.lines).toEqual([{ msisdn: '+447700900321' }, { imei: '353918057812345' }]);
    const { lineIds: _ids, ...byNumberOnly } = raid;
    expect(validateIntelSubmission(byNumberOnly, context).ok).toBe(true);
    expect(rejected(validateIntelSubmission({ ...raid, lineIds: [], lines: [] }, context))).toMatchObject({
      code: 'INVALID_FIELDS',
      errors: [{ path: 'lineIds' }],
    });
    const many = { ...raid, lines: Array.from({ length: 50 }, () => ({ msisdn: '07700 900321' })) };
    expect(rejected(validateIntelSubmission(many, context)).code).toBe('INVALID_FIELDS');
    expect(rejected(validateIntelSubmission({ ...raid, lines: [{ imei: '353918057812346' }] }, context)).code).toBe('INVALID_IMEI');
  });

  it('accepts every v1 event, unchanged (the submission form is an addition)', () => {
    fc.assert(
      fc.property(anyValidEvent, (input) => {
        const now = { ...context, now: ARBITRARY_EVENTS_NOW };
        const v1 = accepted(validateIntelEvent(input, now));
        const submitted = accepted(validateIntelSubmission(input, now));
        expect(identifiersToResolve(submitted)).toEqual([]);
        expect(
          resolveIntelEvent(submitted, () => {
            throw new Error('nothing to resolve');
          }),
        ).toEqual(v1);
      }),
      {
        numRuns: 300,
        // Found by a CI run (seed 562726427): a raid naming one line twice came back with it once.
        examples: [
          [
            {
              eventId: '00000000-0000-4000-8000-000000000000',
              occurredAt: '1990-01-01T00:00:00.000Z',
              area: 'bath',
              grading: { source: '1', intelligence: 'A', handling: 'P' },
              source: { system: ' ', reference: ' ' },
              type: 'enforcement.raid',
              lineIds: ['8', '8'],
              body: { place: { description: ' ' } },
            },
          ],
        ],
      },
    );
  });
});

describe('resolveIntelEvent', () => {
  const submission = (input: unknown): IntelEventSubmission => accepted(validateIntelSubmission(input, context));

  it('puts the line and how it was found into the event, which then validates as resolved and survives the trip through Kafka', () => {
    const event = submission(byIdentifier({ msisdn: '07700 900123' }));
    expect(identifiersToResolve(event)).toEqual([
      { identifier: { kind: 'msisdn', value: '+447700900123' }, at: event.occurredAt, given: null },
    ]);
    const resolved = resolveIntelEvent(event, heldBy('JAY-01', 'held_before'));
    expect(resolved).toMatchObject({
      lineId: 'JAY-01',
      line: { msisdn: '+447700900123', resolution: { lineId: 'JAY-01', how: 'held_before' } },
    });
    expect(resolutionOf(resolved)).toEqual([{ lineId: 'JAY-01', how: 'held_before' }]);
    const again = parseAndValidateIntelEvent(Buffer.from(JSON.stringify(resolved)), context);
    expect(again).toEqual({ ok: true, event: JSON.parse(JSON.stringify(resolved)) });
  });

  it('keeps a given line and records a conflict with the line that held the number', () => {
    const event = submission(byIdentifier({ msisdn: '07700 900123' }, { lineId: 'JAY-01' }));
    const resolved = resolveIntelEvent(event, () => ({ lineId: 'JAY-01', how: 'given', conflictWith: 'KAY-02' }));
    expect(accepted(validateIntelEvent(resolved, context))).toMatchObject({
      lineId: 'JAY-01',
      line: { resolution: { how: 'given', conflictWith: 'KAY-02' } },
    });
  });

  it('refuses an answer that moves a given line, or calls an identifier alone given', () => {
    const both = submission(byIdentifier({ msisdn: '07700 900123' }, { lineId: 'JAY-01' }));
    expect(() => resolveIntelEvent(both, heldBy('KAY-02'))).toThrow(ResolutionError);
    const alone = submission(byIdentifier({ msisdn: '07700 900123' }));
    expect(() => resolveIntelEvent(alone, heldBy('JAY-01', 'given'))).toThrow(ResolutionError);
  });

  it('adds the lines a raid named by identifier to its lineIds, once each, each identifier with its resolution', () => {
    const raid = submission({
      ...(aRaid(['KAY-02']) as Record<string, unknown>),
      lines: [{ msisdn: '07700 900321' }, { imei: '353918057812345' }],
    });
    const answers: LineResolution[] = [
      { lineId: 'KAY-02', how: 'held' },
      { lineId: 'N-ABC', how: 'new' },
    ];
    const resolved = resolveIntelEvent(raid, () => answers.shift()!);
    expect(resolved).toMatchObject({
      lineIds: ['KAY-02', 'N-ABC'],
      lines: [
        { msisdn: '+447700900321', resolution: { lineId: 'KAY-02', how: 'held' } },
        { imei: '353918057812345', resolution: { lineId: 'N-ABC', how: 'new' } },
      ],
    });
    expect(validateIntelEvent(resolved, context).ok).toBe(true);
    expect(resolutionOf(resolved)).toEqual([
      { lineId: 'KAY-02', how: 'held' },
      { lineId: 'N-ABC', how: 'new' },
    ]);
  });

  it('is refused by the resolved contract when a resolution names another line than the event', () => {
    const resolved = resolveIntelEvent(submission(byIdentifier({ msisdn: '07700 900123' })), heldBy('JAY-01'));
    expect(rejected(validateIntelEvent({ ...resolved, lineId: 'KAY-02' }, context))).toMatchObject({
      code: 'INVALID_FIELDS',
      errors: [{ path: 'line.resolution.lineId' }],
    });
    const raid = resolveIntelEvent(
      submission({ ...(aRaid([]) as Record<string, unknown>), lineIds: undefined, lines: [{ msisdn: '07700 900321' }] }),
      heldBy('KAY-02'),
    );
    expect(rejected(validateIntelEvent({ ...raid, lineIds: ['JAY-01'] }, context))).toMatchObject({
      code: 'INVALID_FIELDS',
      errors: [{ path: 'lines[0].resolution.lineId' }],
    });
  });
});

describe('CSV', () => {
  it('reads lineMsisdn / lineImei as the line (a raid: several, as lines) and writes them back', () => {
    const { lineId: _lineId, ...sighting } = eventToCsvRecord(aSighting() as Record<string, unknown>);
    const event = csvRecordToEvent({ ...sighting, lineMsisdn: '07700 900123' });
    expect(event.line).toEqual({ msisdn: '07700 900123' });
    expect(validateIntelSubmission(event, context).ok).toBe(true);
    const raid = csvRecordToEvent({
      ...eventToCsvRecord(aRaid([]) as Record<string, unknown>),
      lineMsisdn: '07700 900321;07700 900322',
      lineImei: '353918057812345',
    });
    expect(raid.lines).toEqual([{ msisdn: '07700 900321' }, { msisdn: '07700 900322' }, { imei: '353918057812345' }]);
    expect(eventToCsvRecord(raid)).toMatchObject({ lineMsisdn: '07700 900321;07700 900322', lineImei: '353918057812345' });
    const twoNumbers = csvRecordToEvent({ ...sighting, lineMsisdn: '07700 900123;07700 900124' });
    expect(rejected(validateIntelSubmission(twoNumbers, context))).toMatchObject({ errors: [{ path: 'line' }] });
  });
});

describe('link decisions', () => {
  const merge = {
    eventId: 'a8d3f1c4-2e6b-4c97-8f05-7b1e9d2c6a30',
    type: 'line.merged',
    occurredAt: '2026-11-30T10:15:00Z',
    area: 'paulton',
    grading: { source: '1', intelligence: 'A', handling: 'P' },
    source: { system: 'linewatch-api', reference: 'merge by analyst-7' },
    lineId: 'N-B',
    body: { into: 'JAY-01', decidedBy: 'analyst-7', justification: 'same brand' },
  };

  it('are their own contract: intake refuses them as an unknown type, and the link contract refuses intake types', () => {
    expect(validateLineLink(merge, context).ok).toBe(true);
    expect(rejected(validateIntelSubmission(merge, context)).code).toBe('UNKNOWN_TYPE');
    expect(rejected(validateIntelEvent(merge, context)).code).toBe('UNKNOWN_TYPE');
    expect(rejected(validateLineLink(aSighting(), context)).code).toBe('UNKNOWN_TYPE');
  });

  it('check an attachment: exactly one identifier, normalised, with codes for a bad one', () => {
    const attach = { ...merge, type: 'line.identifier_attached', body: { msisdn: '07700 900123', decidedBy: 'a', justification: 'j' } };
    expect(accepted(validateLineLink(attach, context))).toMatchObject({ body: { msisdn: '+447700900123' } });
    expect(rejected(validateLineLink({ ...attach, body: { ...attach.body, msisdn: '0770' } }, context)).code).toBe('INVALID_MSISDN');
    const both = { ...attach, body: { ...attach.body, imei: '490154203237518' } };
    expect(rejected(validateLineLink(both, context))).toMatchObject({ code: 'INVALID_FIELDS', errors: [{ path: 'body' }] });
  });

  it('apply the envelope rules (future dates, configured areas)', () => {
    expect(rejected(validateLineLink({ ...merge, occurredAt: '2026-12-02T00:00:00Z' }, context)).code).toBe('FUTURE_EVENT');
    expect(rejected(validateLineLink(merge, { ...context, areas: new Set(['bath']) })).code).toBe('UNKNOWN_AREA');
  });
});
