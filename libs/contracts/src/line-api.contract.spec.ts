/**
 * The answers of the api's line and export routes as their contracts describe them: a line's detail
 * holds each event whole (the resolved intel.event.v1 as stored) or withheld, nothing looser; the
 * weekly export's rows have exactly their figures. The api's contract test (test/openapi.e2e-spec.ts)
 * checks the real answers against the same schemas.
 */
import {
  EXPORT_FIGURES,
  OUTPUT_FORMS,
  gradingOutputV1,
  lineDetailV1,
  lineEventV1,
  map5x5x5,
  validateIntelEvent,
  weeklyExportRowV1,
  type Grading,
  type IntelEventV1,
  type LineDetailV1,
  type LineEventV1,
} from '@linewatch/contracts';
import { z } from 'zod';

const context = { now: new Date('2026-12-01T00:00:00Z'), maxFutureSkewMs: 300_000 };

/** An event as the tracker stores it: validated (numbers normalised, gradings mapped), then JSON. */
function stored(input: Record<string, unknown>): IntelEventV1 {
  const result = validateIntelEvent(input, context);
  if (!result.ok) throw new Error(`not valid: ${JSON.stringify(result)}`);
  return JSON.parse(JSON.stringify(result.event)) as IntelEventV1;
}

const sighting = stored({
  eventId: '0b9f3c1e-7d2a-4f5e-9c1b-3a6d8e2f4b70',
  type: 'line.sighting',
  occurredAt: '2026-11-30T21:15:00Z',
  area: 'paulton',
  grading: { system: '5x5x5', source: 'B', intelligence: '2', handling: '4' },
  source: { system: 'records', reference: 'IR-0001' },
  lineId: 'JAY-01',
  body: { kind: 'bulk_text', brand: 'Jay', msisdn: '07700 900123' },
});

const withheld = {
  eventId: '6c1d9a7e-2b4f-4e8a-9d3c-5f7e1a2b3c4d',
  type: 'line.sighting',
  occurredAt: '2026-11-29T10:00:00+01:00',
  area: 'bath',
  grading: { source: '2', intelligence: 'B', handling: 'C' },
  withheld: 'Handling code C: details withheld; contact the intelligence unit.',
} as const;

const detail = {
  lineId: 'JAY-01',
  state: 'active',
  stateSince: '2026-11-30T21:15:00.000Z',
  area: 'paulton',
  areas: ['bath', 'paulton'],
  lastSightingAt: '2026-11-30T21:15:00.000Z',
  referrals: 0,
  dormancyOverrideDays: null,
  updatedAt: '2026-11-30T21:15:01.000Z',
  reviewDueAt: '2027-11-30T21:15:01.000Z',
  brands: ['jay'],
  currentNumber: '+447700900123',
  identity: {
    numbers: [
      {
        kind: 'msisdn',
        value: '+447700900123',
        from: '2026-11-30T21:15:00.000Z',
        to: null,
        startedBy: sighting.eventId,
        endedBy: null,
      },
    ],
    handsets: [],
    brands: [{ brand: 'jay', writtenAs: ['Jay'], firstSeenAt: '2026-11-30T21:15:00.000Z', lastSeenAt: '2026-11-30T21:15:00.000Z' }],
    aliases: [
      {
        lineId: 'JAY-02',
        mergedInto: 'JAY-01',
        mergedAt: '2026-12-01T09:00:00.000Z',
        mergeEventId: 'e1c6a0de-6f57-4d7e-9d44-2a9f0f6c1b11',
      },
    ],
    links: [
      {
        eventId: 'e1c6a0de-6f57-4d7e-9d44-2a9f0f6c1b11',
        type: 'line.merged',
        lineId: 'JAY-02',
        into: 'JAY-01',
        mergeEventId: null,
        identifier: null,
        occurredAt: '2026-12-01T09:00:00.000Z',
        decidedBy: 'analyst-1',
        rationale: 'the same brand, a new handset a day after the raid',
      },
    ],
  },
  periods: [{ state: 'active', from: '2026-11-30T21:15:00.000Z', to: null, cause: { eventId: sighting.eventId, kind: 'new' } }],
  events: [sighting, withheld],
  reviews: [],
  disposal: null,
};

describe("a line's detail", () => {
  it('parses as the api answers it: events whole or withheld', () => {
    const parsed: LineDetailV1 = lineDetailV1.parse(detail);
    expect(parsed.events).toEqual([sighting, withheld]);
    // The stored event: the number in E.164, the 5x5x5 grading mapped with its original kept.
    expect(parsed.events[0]).toMatchObject({
      body: { msisdn: '+447700900123' },
      grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'C', original: { system: '5x5x5' } },
    });
  });

  it('carries the line identity as the reader may see it, and says when a merged line was asked for', () => {
    const parsed = lineDetailV1.parse({ ...detail, resolvedFrom: 'JAY-02' });
    expect(parsed).toMatchObject({ lineId: 'JAY-01', resolvedFrom: 'JAY-02', currentNumber: '+447700900123', brands: ['jay'] });
    expect(parsed.identity.aliases.map((a) => a.lineId)).toEqual(['JAY-02']);
    // Without the spellings as written (what an officer is answered): still valid.
    const { writtenAs: _written, ...bare } = detail.identity.brands[0];
    expect(lineDetailV1.safeParse({ ...detail, identity: { ...detail.identity, brands: [bare] } }).success).toBe(true);
    // Identity is part of every detail, and strict.
    const { identity: _identity, ...without } = detail;
    expect(lineDetailV1.safeParse(without).success).toBe(false);
    expect(lineDetailV1.safeParse({ ...detail, identity: { ...detail.identity, notes: [] } }).success).toBe(false);
    expect(
      lineDetailV1.safeParse({ ...detail, identity: { ...detail.identity, numbers: [{ ...detail.identity.numbers[0], kind: 'email' }] } })
        .success,
    ).toBe(false);
  });

  it('refuses an event with a field the contract does not name (strict, like intake)', () => {
    expect(lineEventV1.safeParse({ ...sighting, note: 'extra' }).success).toBe(false);
    expect(lineEventV1.safeParse({ ...withheld, extra: true }).success).toBe(false);
    expect(lineDetailV1.safeParse({ ...detail, events: [{ ...sighting, body: { ...sighting.body, colour: 'red' } }] }).success).toBe(false);
  });

  it('never mixes the forms: a withheld event carries no body or source, and only handling code C is withheld', () => {
    const { withheld: _reason, ...bare } = withheld;
    expect(lineEventV1.safeParse({ ...withheld, body: { kind: 'other' } }).success).toBe(false);
    expect(lineEventV1.safeParse({ ...withheld, grading: { ...withheld.grading, handling: 'P' } }).success).toBe(false);
    expect(lineEventV1.safeParse(bare).success).toBe(false);
  });

  it('tells the forms apart by `withheld` (what the dashboard reads)', () => {
    const events: LineEventV1[] = lineDetailV1.parse(detail).events;
    expect(events.map((event) => ('withheld' in event ? 'withheld' : event.source.system))).toEqual(['records', 'withheld']);
  });
});

describe('the output forms of the transforms (what an answer holds after intake normalised it)', () => {
  it('describe what each transform produces', () => {
    const [grading, phoneNumber, checkedImei] = [...OUTPUT_FORMS.keys()] as z.ZodType[];
    const samples: [z.ZodType, unknown][] = [
      [grading, { system: '5x5x5', source: 'A', intelligence: '1', handling: '1' }],
      [grading, { source: '3', intelligence: 'E', handling: 'C' }],
      [phoneNumber, '07700 900123'],
      [checkedImei, '35-209900-176148-1'],
    ];
    for (const [schema, input] of samples) expect(OUTPUT_FORMS.get(schema)!.safeParse(schema.parse(input)).success).toBe(true);
    expect(OUTPUT_FORMS.get(phoneNumber)!.safeParse('07700 900123').success).toBe(false);
  });

  it('holds every grading map5x5x5 makes, and is the Grading type', () => {
    for (const source of ['A', 'B', 'C', 'D', 'E'] as const)
      for (const handling of ['1', '2', '3', '4', '5'] as const)
        expect(gradingOutputV1.safeParse(map5x5x5({ system: '5x5x5', source, intelligence: '3', handling })).success).toBe(true);
    const both: [Grading, z.output<typeof gradingOutputV1>] = [sighting.grading, gradingOutputV1.parse(sighting.grading)];
    expect(both[0]).toEqual(both[1]);
  });
});

describe('a weekly export row', () => {
  const row = {
    area: 'bath',
    areaName: 'Bath',
    isoWeek: '2026-W48',
    weekStart: '2026-11-23',
    ...(Object.fromEntries(EXPORT_FIGURES.map((figure) => [figure, 0])) as Record<(typeof EXPORT_FIGURES)[number], number>),
  };

  it('has every figure, a count or (partner version) the suppression marker', () => {
    expect(weeklyExportRowV1.safeParse(row).success).toBe(true);
    expect(weeklyExportRowV1.safeParse({ ...row, arrests: '[c]' }).success).toBe(true);
    expect(weeklyExportRowV1.safeParse({ ...row, arrests: 'few' }).success).toBe(false);
    expect(weeklyExportRowV1.safeParse({ ...row, extra: 1 }).success).toBe(false);
    const { raids: _raids, ...missing } = row;
    expect(weeklyExportRowV1.safeParse(missing).success).toBe(false);
  });
});
