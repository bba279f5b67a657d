import { map5x5x5, parseAndValidateIntelEvent, partitionKeysOf, validateIntelEvent, type ValidationResult } from '@linewatch/contracts';
import { aRaid, aSighting } from '@linewatch/testing';

const context = { now: new Date('2026-12-01T09:00:00Z'), maxFutureSkewMs: 5 * 60 * 1000 };

function rejected(result: ValidationResult) {
  if (result.ok) throw new Error('expected a rejection');
  return result;
}

describe('validateIntelEvent', () => {
  it('accepts a sighting and normalises its UK number to E.164', () => {
    const result = validateIntelEvent(aSighting({ body: { kind: 'test_purchase', msisdn: '07700 900123' } }), context);
    expect(result.ok && result.event.type === 'line.sighting' && result.event.body.msisdn).toBe('+447700900123');
  });

  it.each([
    ['an array', [], 'NOT_AN_OBJECT'],
    ['an unknown type', aSighting({ type: 'line.teleported' }), 'UNKNOWN_TYPE'],
    ['no grading', aSighting({ grading: undefined }), 'MISSING_GRADING'],
    ['a bad grading', aSighting({ grading: { source: '9', intelligence: 'B', handling: 'P' } }), 'INVALID_GRADING'],
    ['an impossible date', aSighting({ occurredAt: '2026-02-30T10:00:00Z' }), 'IMPOSSIBLE_DATE'],
    ['a date without offset', aSighting({ occurredAt: '2026-11-30T10:00:00' }), 'INVALID_FIELDS'],
    ['a date in the future', aSighting({ occurredAt: '2026-12-01T09:10:00Z' }), 'FUTURE_EVENT'],
    ['an unknown field', aSighting({ suspectName: 'someone' }), 'INVALID_FIELDS'],
    ['a bad phone number', aSighting({ body: { kind: 'bulk_text', msisdn: '12ab' } }), 'INVALID_FIELDS'],
    ['a truncated UK mobile', aSighting({ body: { kind: 'bulk_text', msisdn: '07700 90012' } }), 'INVALID_FIELDS'],
    ['a UK mobile with a digit too many', aSighting({ body: { kind: 'bulk_text', msisdn: '+44 7700 9001234' } }), 'INVALID_FIELDS'],
    ['a raid naming no line', aRaid([]), 'INVALID_FIELDS'],
    ['a date before 1990 (the floor)', aSighting({ occurredAt: '1989-12-31T23:59:59Z' }), 'ANCIENT_EVENT'],
    ['a NUL character in a note', aSighting({ body: { kind: 'other', note: 'a\u0000b' } }), 'INVALID_FIELDS'],
    ['a __proto__ field', JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(aSighting()).slice(1)}`), 'INVALID_FIELDS'],
  ])('given %s, then it is rejected with %s', (_what, input, code) => {
    expect(rejected(validateIntelEvent(input, context)).code).toBe(code);
  });

  it('names the failing field', () => {
    const result = rejected(validateIntelEvent(aSighting({ lineId: '' }), context));
    expect(result.errors).toEqual([expect.objectContaining({ path: 'lineId' })]);
  });

  it('says where bad text is: in a value, a field name or an array, or nested too deep', () => {
    const errorsOf = (input: unknown) => rejected(validateIntelEvent(input, context)).errors;
    expect(errorsOf(aSighting({ body: { kind: 'other', note: 'a\u0000b' } }))).toContainEqual({
      path: 'body.note',
      message: 'the text contains a NUL character (U+0000)',
    });
    expect(errorsOf(aSighting({ body: { kind: 'other', ['n\uD800']: 'x' } }))).toContainEqual({
      path: 'body.n\uD800',
      message: 'the field name is not valid Unicode (an unpaired surrogate)',
    });
    expect(errorsOf(aRaid(['A', 'B\u0000']))).toContainEqual({ path: 'lineIds[1]', message: 'the text contains a NUL character (U+0000)' });
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i += 1) deep = { d: deep };
    expect(errorsOf(aSighting({ body: { kind: 'other', note: deep } }))).toContainEqual({
      path: `body.note${'.d'.repeat(14)}`,
      message: 'nested deeper than 16 levels',
    });
  });

  it('rejects an area that is not configured when areas are given', () => {
    const result = validateIntelEvent(aSighting({ area: 'atlantis' }), { ...context, areas: new Set(['bath', 'paulton']) });
    expect(rejected(result).code).toBe('UNKNOWN_AREA');
  });

  it('accepts an event within the allowed clock skew', () => {
    expect(validateIntelEvent(aSighting({ occurredAt: '2026-12-01T09:04:00Z' }), context).ok).toBe(true);
  });
});

describe('5x5x5 grading', () => {
  it('is mapped to 3x5x2 and the original kept', () => {
    const original = { system: '5x5x5' as const, source: 'B' as const, intelligence: '3' as const, handling: '4' as const };
    expect(map5x5x5(original)).toEqual({ system: '3x5x2', source: '1', intelligence: 'B', handling: 'C', original });
    const result = validateIntelEvent(aSighting({ grading: original }), context);
    expect(result.ok && result.event.grading.handling).toBe('C');
  });

  it('survives the trip through Kafka: the mapped grading, original included, validates again unchanged', () => {
    const original = { system: '5x5x5' as const, source: 'D' as const, intelligence: '5' as const, handling: '1' as const };
    const first = validateIntelEvent(aSighting({ grading: original }), context);
    if (!first.ok) throw new Error('expected the 5x5x5 event to be valid');
    expect(parseAndValidateIntelEvent(Buffer.from(JSON.stringify(first.event)), context)).toEqual(first);
  });

  it('refuses an original that does not map to the grading it comes with', () => {
    const grading = {
      system: '3x5x2',
      source: '1',
      intelligence: 'A',
      handling: 'P',
      original: { system: '5x5x5', source: 'E', intelligence: '5', handling: '5' },
    };
    expect(rejected(validateIntelEvent(aSighting({ grading }), context)).code).toBe('INVALID_GRADING');
  });
});

describe('parseAndValidateIntelEvent', () => {
  it('rejects broken JSON and invalid UTF-8 as MALFORMED_JSON', () => {
    expect(rejected(parseAndValidateIntelEvent(Buffer.from('{"eventId":'), context)).code).toBe('MALFORMED_JSON');
    expect(rejected(parseAndValidateIntelEvent(Buffer.from([0x7b, 0xff, 0x7d]), context)).code).toBe('MALFORMED_JSON');
  });
});

describe('partitionKeysOf', () => {
  it('keys a raid once per line it names, and a line event by its line', () => {
    const raid = validateIntelEvent(aRaid(['A', 'B', 'A']), context);
    expect(raid.ok && partitionKeysOf(raid.event)).toEqual(['A', 'B']);
    const sighting = validateIntelEvent(aSighting({ lineId: 'JAY' }), context);
    expect(sighting.ok && partitionKeysOf(sighting.event)).toEqual(['JAY']);
  });
});
