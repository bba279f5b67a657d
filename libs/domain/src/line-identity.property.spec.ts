/**
 * Properties of line identity (fast-check): intervals are a function of the SET of a line's
 * events, attribution follows held > held_before > held_after > new, and an identifier-only event
 * sent again resolves to the line it went to the first time.
 */
import { LINE_ID_PATTERN, type IntelEventV1, type LineIdentifier } from '@linewatch/contracts';
import {
  attributeIdentifier,
  deriveLineId,
  heldIntervalsOf,
  identityFactsOf,
  lineIdentityOf,
  type HeldInterval,
  type IdentityFact,
} from '@linewatch/domain';
import fc from 'fast-check';
import { HANDSETS, NUMBERS, deactivatedOf, numberChangedTo, seizureOf, sightingOf } from './testing/identity-events.factory';
import { day } from './testing/line-events.factory';

const RUNS = { numRuns: 300 };
const LINES = ['jay-1', 'kay-2', 'ray-3'] as const;

const arbDay = fc.integer({ min: 0, max: 40 }).map((halfDays) => halfDays / 2);
const arbOptions = fc.record({
  id: fc.integer({ min: 0, max: 2 ** 30 }).map((n) => `ev-${n.toString(36)}`),
  line: fc.constantFrom(...LINES),
  grade: fc.constantFrom<'A' | 'B' | 'C' | 'E'>('A', 'B', 'B', 'C', 'E'),
});
const arbNumber = fc.constantFrom(...NUMBERS);
const arbHandset = fc.constantFrom(...HANDSETS);
const arbRef = fc.oneof(
  arbNumber.map((msisdn) => ({ msisdn })),
  arbHandset.map((imei) => ({ imei })),
);

/** Every kind of event that says something about identifiers, including lines named by `line` (resolved to their own line). */
const arbEvent: fc.Arbitrary<IntelEventV1> = fc.oneof(
  fc
    .tuple(
      arbDay,
      fc.option(arbNumber, { nil: undefined }),
      fc.option(fc.constantFrom('Jay', 'JAY ', 'Kay'), { nil: undefined }),
      arbOptions,
    )
    .map(([d, msisdn, brand, o]) => sightingOf(d, { ...(msisdn ? { msisdn } : {}), ...(brand ? { brand } : {}) }, o)),
  fc
    .tuple(arbDay, arbNumber, fc.option(arbNumber, { nil: undefined }), fc.option(arbHandset, { nil: undefined }), arbOptions)
    .map(([d, to, previousMsisdn, imei, o]) =>
      numberChangedTo(d, to, { ...(previousMsisdn ? { previousMsisdn } : {}), ...(imei ? { imei } : {}) }, o),
    ),
  fc.tuple(arbDay, fc.option(arbNumber, { nil: undefined }), arbOptions).map(([d, msisdn, o]) => deactivatedOf(d, msisdn, o)),
  fc
    .tuple(arbDay, fc.option(arbNumber, { nil: undefined }), fc.option(arbHandset, { nil: undefined }), arbOptions)
    .map(([d, msisdn, imei, o]) => seizureOf(d, { ...(msisdn ? { msisdn } : {}), ...(imei ? { imei } : {}) }, o)),
  fc.tuple(arbDay, arbRef, arbOptions).map(([d, identifier, o]): IntelEventV1 => {
    const event = sightingOf(d, {}, o) as Extract<IntelEventV1, { type: 'line.sighting' }>;
    return { ...event, line: { ...identifier, resolution: { lineId: event.lineId, how: 'held' } } };
  }),
);
const arbEvents = fc.uniqueArray(arbEvent, { selector: (event) => event.eventId, maxLength: 25 });
const arbArrivals = arbEvents.chain((events) =>
  fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.subarray(events)),
);

const factsOf = (events: readonly IntelEventV1[]): IdentityFact[] => events.flatMap(identityFactsOf);
const intervalsOf = (facts: readonly IdentityFact[]): HeldInterval[] =>
  LINES.flatMap((lineId) => heldIntervalsOf(lineIdentityOf(lineId, facts)));

describe('identifier intervals', () => {
  it('given any set of events, when they arrive in any order and some twice, then every line has the same identity', () => {
    fc.assert(
      fc.property(arbArrivals, ([events, shuffled, again]) => {
        for (const lineId of LINES) {
          expect(lineIdentityOf(lineId, factsOf([...shuffled, ...again]))).toEqual(lineIdentityOf(lineId, factsOf(events)));
        }
      }),
      RUNS,
    );
  });

  it('given any events, then intervals are well formed: from ≤ to, one identifier never held twice at once, the current one open', () => {
    fc.assert(
      fc.property(arbEvents, (events) => {
        for (const lineId of LINES) {
          const identity = lineIdentityOf(lineId, factsOf(events));
          for (const intervals of [identity.numbers, identity.handsets]) {
            for (const interval of intervals) expect(interval.to === null || interval.from.getTime() <= interval.to.getTime()).toBe(true);
            const byValue = new Map<string, typeof intervals>();
            for (const interval of intervals) byValue.set(interval.value, [...(byValue.get(interval.value) ?? []), interval]);
            for (const same of byValue.values()) {
              same
                .slice(1)
                .forEach((interval, i) => expect(same[i].to !== null && same[i].to!.getTime() <= interval.from.getTime()).toBe(true));
            }
          }
          const openNumbers = identity.numbers.filter((interval) => interval.to === null).map((interval) => interval.value);
          expect(identity.currentNumber === null ? openNumbers : openNumbers.includes(identity.currentNumber)).toEqual(
            identity.currentNumber === null ? [] : true,
          );
        }
      }),
      RUNS,
    );
  });
});

describe('attribution', () => {
  const arbInterval: fc.Arbitrary<HeldInterval> = fc
    .tuple(fc.constantFrom(...LINES), arbNumber, arbDay, fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }))
    .map(([lineId, value, from, length]) => ({
      lineId,
      kind: 'msisdn',
      value,
      from: day(from),
      to: length === null ? null : day(from + length / 2),
    }));

  it('given any intervals, then the answer is held if one contains t (its end included), else held_before, else held_after, else new — with the right line', () => {
    fc.assert(
      fc.property(fc.array(arbInterval, { maxLength: 12 }), arbNumber, arbDay, (intervals, value, d) => {
        const t = day(d).getTime();
        const identifier: LineIdentifier = { kind: 'msisdn', value };
        const mine = intervals.filter((interval) => interval.value === value);
        const answer = attributeIdentifier(identifier, day(d), intervals);
        const containing = mine.filter((i) => i.from.getTime() <= t && (i.to === null || t <= i.to.getTime()));
        const ended = mine.filter((i) => i.to !== null && i.to.getTime() < t);
        const later = mine.filter((i) => i.from.getTime() > t);
        const latest = (is: HeldInterval[], at: (i: HeldInterval) => number, pick: (...n: number[]) => number) =>
          is.filter((i) => at(i) === pick(...is.map(at))).map((i) => i.lineId);
        const expected =
          containing.length > 0
            ? { how: 'held', lines: latest(containing, (i) => i.from.getTime(), Math.max) }
            : ended.length > 0
              ? { how: 'held_before', lines: latest(ended, (i) => i.to!.getTime(), Math.max) }
              : later.length > 0
                ? { how: 'held_after', lines: latest(later, (i) => i.from.getTime(), Math.min) }
                : { how: 'new', lines: [deriveLineId(identifier)] };
        expect({ how: answer.how, ofTheRightLines: expected.lines.includes(answer.lineId) }).toEqual({
          how: expected.how,
          ofTheRightLines: true,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('given a line named beside the identifier, then it is kept, with a conflict exactly when another line held it at t', () => {
    fc.assert(
      fc.property(fc.array(arbInterval, { maxLength: 12 }), arbNumber, arbDay, fc.constantFrom(...LINES), (intervals, value, d, given) => {
        const identifier: LineIdentifier = { kind: 'msisdn', value };
        const held = attributeIdentifier(identifier, day(d), intervals);
        const answer = attributeIdentifier(identifier, day(d), intervals, { given });
        expect(answer).toEqual(
          held.how === 'held' && held.lineId !== given
            ? { lineId: given, how: 'given', conflictWith: held.lineId }
            : { lineId: given, how: 'given' },
        );
      }),
      RUNS,
    );
  });

  it('given an identifier-only event attributed and applied, when the same event is resolved again, then it goes to the same line', () => {
    const arbSubmission = fc.tuple(
      arbDay,
      arbRef,
      fc.constantFrom('line.sighting', 'line.deactivated', 'enforcement.seizure', 'line.number_changed'),
      fc.constantFrom<'B' | 'E'>('B', 'B', 'B', 'E'),
    );
    fc.assert(
      fc.property(arbEvents, arbSubmission, (known, [d, ref, type, grade]) => {
        const identifier: LineIdentifier = 'msisdn' in ref ? { kind: 'msisdn', value: ref.msisdn } : { kind: 'imei', value: ref.imei };
        const facts = factsOf(known);
        const first = attributeIdentifier(identifier, day(d), intervalsOf(facts));
        const options = { id: 'resent', line: first.lineId, grade };
        const base =
          type === 'line.sighting'
            ? sightingOf(d, {}, options)
            : type === 'line.deactivated'
              ? deactivatedOf(d, undefined, options)
              : type === 'enforcement.seizure'
                ? seizureOf(d, {}, options)
                : numberChangedTo(d, NUMBERS[3], {}, options);
        const event = { ...base, line: { ...ref, resolution: first } } as IntelEventV1;
        const lines = [...LINES, first.lineId];
        const after = [...facts, ...identityFactsOf(event)];
        const again = attributeIdentifier(
          identifier,
          day(d),
          lines.flatMap((lineId) => heldIntervalsOf(lineIdentityOf(lineId, after))),
        );
        expect(again.lineId).toBe(first.lineId);
      }),
      { numRuns: 500 },
    );
  });

  it('derives a new line id that is stable, valid under the line-id rule, and differs between identifiers', () => {
    const ids = [
      ...NUMBERS.map((value) => ({ kind: 'msisdn' as const, value })),
      ...HANDSETS.map((value) => ({ kind: 'imei' as const, value })),
    ].map(deriveLineId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(LINE_ID_PATTERN);
    expect(deriveLineId({ kind: 'msisdn', value: '+447700900123' })).toBe(deriveLineId({ kind: 'msisdn', value: '+447700900123' }));
    expect(deriveLineId({ kind: 'msisdn', value: '+447700900123' })).toMatch(/^N-[A-Z2-7]{26}$/);
  });
});
