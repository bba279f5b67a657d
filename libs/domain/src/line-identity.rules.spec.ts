import {
  identityFactsOf,
  identityFactsOfLink,
  lineIdentityOf,
  normaliseBrand,
  normaliseImei,
  normaliseMsisdn,
  parseIdentifier,
  type IdentifierInterval,
  type LineIdentity,
} from '@linewatch/domain';
import type { IntelEventV1 } from '@linewatch/contracts';
import { deactivatedOf, HANDSETS, NUMBERS, numberChangedTo, seizureOf, sightingByRef, sightingOf } from './testing/identity-events.factory';
import { LINE, dayOf } from './testing/line-events.factory';

const [N1, N2, N3] = NUMBERS;
const [H1, H2] = HANDSETS;

const identityOf = (events: readonly IntelEventV1[]): LineIdentity => lineIdentityOf(LINE, events.flatMap(identityFactsOf));
/** Intervals as `value@from-to` in days (`…` when open). */
const spans = (intervals: readonly IdentifierInterval[]) =>
  intervals.map((i) => `${i.value}@${dayOf(i.from)}-${i.to === null ? '…' : dayOf(i.to)}`);

describe('normalisation', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    [' +44 7700 900123 ', '+447700900123'],
    ['(07700) 900-123', '+447700900123'],
    ['07700 90012', null],
    ['Jay', null],
  ])('msisdn %j → %j', (text, expected) => {
    expect(normaliseMsisdn(text)).toBe(expected);
  });

  it.each([
    ['490154203237518', '490154203237518'],
    ['49-015420-323751-8', '490154203237518'],
    ['490154203237519', null],
  ])('imei %j → %j', (text, expected) => {
    expect(normaliseImei(text)).toBe(expected);
  });

  it.each([
    ['Jay', 'jay'],
    ['  JAY  ', 'jay'],
    ['Jäy', 'jay'],
    ['Jay\u0301', 'jay'],
    ['ＪＡＹ', 'jay'],
    ['Big   Jay\tK', 'big jay k'],
    ['Zoë', 'zoe'],
    ['   ', null],
  ])('brand %j → %j', (text, expected) => {
    expect(normaliseBrand(text)).toBe(expected);
  });

  it('parses an identifier of a given kind, or answers null', () => {
    expect(parseIdentifier('msisdn', '07700 900123')).toEqual({ kind: 'msisdn', value: '+447700900123' });
    expect(parseIdentifier('imei', '490154203237519')).toBeNull();
  });
});

describe('identifier intervals', () => {
  it.each<[string, IntelEventV1[], string[], string | null]>([
    ['a sighting naming a number attaches it from that instant', [sightingOf(1, { msisdn: N1 })], [`${N1}@1-…`], N1],
    ['naming the current number again changes nothing', [sightingOf(1, { msisdn: N1 }), sightingOf(3, { msisdn: N1 })], [`${N1}@1-…`], N1],
    [
      'a number change ends the previous number and starts the new one at t',
      [sightingOf(1, { msisdn: N1 }), numberChangedTo(4, N2)],
      [`${N1}@1-4`, `${N2}@4-…`],
      N2,
    ],
    [
      'a number change naming its previous number ends only that one',
      [sightingOf(1, { msisdn: N1 }), sightingOf(2, { msisdn: N3 }), numberChangedTo(4, N2, { previousMsisdn: N1 })],
      [`${N1}@1-4`, `${N3}@2-…`, `${N2}@4-…`],
      N2,
    ],
    [
      'a previous number never held is recorded at the instant it went out of use',
      [numberChangedTo(4, N2, { previousMsisdn: N1 })],
      [`${N1}@4-4`, `${N2}@4-…`],
      N2,
    ],
    ['a deactivation naming a number ends it', [sightingOf(1, { msisdn: N1 }), deactivatedOf(5, N1)], [`${N1}@1-5`], null],
    [
      'a deactivation naming no number ends the number(s) then in use',
      [sightingOf(1, { msisdn: N1 }), sightingOf(2, { msisdn: N2 }), deactivatedOf(5)],
      [`${N1}@1-5`, `${N2}@2-5`],
      null,
    ],
    [
      'a number named after its interval ended starts a new interval',
      [sightingOf(1, { msisdn: N1 }), deactivatedOf(5, N1), sightingOf(9, { msisdn: N1 })],
      [`${N1}@1-5`, `${N1}@9-…`],
      N1,
    ],
    [
      'two numbers open at once (a line with two phones): the current one is the one attached last',
      [sightingOf(1, { msisdn: N1 }), sightingOf(2, { msisdn: N2 })],
      [`${N1}@1-…`, `${N2}@2-…`],
      N2,
    ],
    [
      'at one instant a sighting is applied before the number change (type order), so the old number ends',
      [numberChangedTo(4, N2, {}, { id: 'a' }), sightingOf(4, { msisdn: N1 }, { id: 'z' })],
      [`${N1}@4-4`, `${N2}@4-…`],
      N2,
    ],
    [
      'a deactivation at the same instant as the sighting of its number ends it there',
      [deactivatedOf(4, N1, { id: 'a' }), sightingOf(4, { msisdn: N1 }, { id: 'z' })],
      [`${N1}@4-4`],
      null,
    ],
    ['a report graded E attaches nothing', [sightingOf(1, { msisdn: N1 }, { grade: 'E' })], [], null],
    ['a number naming the line (line.msisdn) attaches like a body number', [sightingByRef(2, { msisdn: N1 })], [`${N1}@2-…`], N1],
    [
      "a number change sent by the line's number (line.msisdn) ends that number",
      [
        sightingOf(1, { msisdn: N1 }),
        { ...numberChangedTo(3, N2), line: { msisdn: N1, resolution: { lineId: LINE, how: 'held' as const } } } as IntelEventV1,
      ],
      [`${N1}@1-3`, `${N2}@3-…`],
      N2,
    ],
  ])('%s', (_what, events, numbers, current) => {
    const identity = identityOf(events);
    expect({ numbers: spans(identity.numbers), current: identity.currentNumber }).toEqual({ numbers, current });
  });

  it('handsets: a seizure attaches one; a number change naming a new handset ends the others; a body IMEI with a bad check digit is ignored', () => {
    const identity = identityOf([
      seizureOf(1, { imei: H1 }),
      numberChangedTo(3, N2, { imei: H2 }),
      seizureOf(4, { imei: '490154203237519' }),
    ]);
    expect({ handsets: spans(identity.handsets), current: identity.currentHandset }).toEqual({
      handsets: [`${H1}@1-3`, `${H2}@3-…`],
      current: H2,
    });
  });

  it('brands: compared normalised, with how they were written and first and last seen', () => {
    const identity = identityOf([
      sightingOf(5, { brand: 'Jay' }),
      sightingOf(2, { brand: ' JÄY ' }),
      numberChangedTo(8, N1, { brand: 'Kay' }),
    ]);
    expect(identity.brands.map((b) => ({ ...b, firstSeenAt: dayOf(b.firstSeenAt), lastSeenAt: dayOf(b.lastSeenAt) }))).toEqual([
      { brand: 'jay', writtenAs: ['Jay', 'JÄY'], firstSeenAt: 2, lastSeenAt: 5 },
      { brand: 'kay', writtenAs: ['Kay'], firstSeenAt: 8, lastSeenAt: 8 },
    ]);
  });

  it('a raid attaches each identifier it named to the line it resolved to, and nothing to lines named by id', () => {
    const raid: IntelEventV1 = {
      ...(sightingOf(3) as object),
      type: 'enforcement.raid',
      lineIds: [LINE, 'other'],
      lines: [{ msisdn: N1, resolution: { lineId: LINE, how: 'held' } }],
      body: { place: { description: 'a flat' }, cuckooing: false },
    } as IntelEventV1;
    expect(identityFactsOf(raid).map((fact) => fact.lineId)).toEqual([LINE]);
    expect(spans(identityOf([raid]).numbers)).toEqual([`${N1}@3-…`]);
  });

  it("an analyst's attachment attaches its identifier from its instant, after the evidence of that instant", () => {
    const attach = {
      eventId: 'att-1',
      type: 'line.identifier_attached' as const,
      occurredAt: '2026-01-08T00:00:00.000Z',
      area: 'bath',
      grading: { system: '3x5x2' as const, source: '1' as const, intelligence: 'A' as const, handling: 'P' as const },
      source: { system: 'linewatch-api', reference: 'attachment' },
      lineId: LINE,
      body: { msisdn: N1, decidedBy: 'analyst', justification: 'cell-site analysis' },
    };
    const facts = [...identityFactsOf(deactivatedOf(3, N1)), ...identityFactsOfLink(attach)];
    expect(spans(lineIdentityOf(LINE, facts).numbers)).toEqual([`${N1}@3-3`, `${N1}@3-…`]);
  });

  it("ignores other lines' facts and counts a redelivered fact once", () => {
    const mine = sightingOf(1, { msisdn: N1 });
    const theirs = sightingOf(1, { msisdn: N2 }, { line: 'kay-2' });
    expect(identityOf([mine, theirs, mine])).toEqual(identityOf([mine]));
  });
});
