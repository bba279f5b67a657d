import {
  DEFAULT_REPLACEMENT_WINDOW_DAYS,
  computeTimeline,
  lineEndingsOf,
  replacementPairKey,
  replacementSuggestionsAfter,
  replacementSuggestionsFor,
  replacementSuggestionsForEach,
  type CandidateLine,
  type NewLineRecord,
  type ReplacementPolicy,
} from '@linewatch/domain';
import fc from 'fast-check';
import { POLICY, closure, day, dayOf, enforcement, sighting } from './testing/line-events.factory';

const policy: ReplacementPolicy = {
  windowDays: DEFAULT_REPLACEMENT_WINDOW_DAYS,
  neighbours: { paulton: ['midsomer-norton', 'peasedown-st-john'], bath: ['keynsham'] },
};

const newLine = (overrides: Partial<NewLineRecord> = {}): NewLineRecord => ({
  lineId: 'N-NEW',
  brands: ['Jay'],
  area: 'paulton',
  at: day(20),
  ...overrides,
});

const candidate = (overrides: Partial<CandidateLine> = {}): CandidateLine => ({
  lineId: 'JAY-01',
  brands: ['JAY'],
  areas: ['paulton'],
  endings: [{ kind: 'deactivated', at: day(19.5) }],
  ...overrides,
});

describe('replacement suggestions', () => {
  it('proposes a line of the same brand, same area, deactivated just before, with the reasons', () => {
    expect(replacementSuggestionsFor(newLine(), [candidate()], policy)).toEqual([
      {
        lineId: 'N-NEW',
        replaces: 'JAY-01',
        reasons: {
          brands: ['jay'],
          area: 'paulton',
          sameArea: true,
          matchingAreas: ['paulton'],
          ending: { kind: 'deactivated', at: day(19.5) },
          daysBetween: 0.5,
        },
      },
    ]);
  });

  it.each<[string, Partial<NewLineRecord>, Partial<CandidateLine>, boolean]>([
    ['brand compared accent- and case-insensitively', { brands: ['jäy '] }, {}, true],
    ['another brand', { brands: ['Kay'] }, {}, false],
    ['a new line with no brand', { brands: [] }, {}, false],
    ['a neighbouring area (configured one way, read both ways)', { area: 'midsomer-norton' }, {}, true],
    ['an area neither the same nor a neighbour', { area: 'bath' }, {}, false],
    ['the ending exactly 14 days before', {}, { endings: [{ kind: 'closed', at: day(6) }] }, true],
    ['the ending 14 days and an hour before', {}, { endings: [{ kind: 'closed', at: day(6 - 1 / 24) }] }, false],
    ['the ending after the first record', {}, { endings: [{ kind: 'disrupted', at: day(21) }] }, false],
    ['the ending at the same instant', {}, { endings: [{ kind: 'dormant', at: day(20) }] }, true],
    ['the line itself', {}, { lineId: 'N-NEW' }, false],
  ])('%s', (_what, line, other, proposed) => {
    expect(replacementSuggestionsFor(newLine(line), [candidate(other)], policy).length > 0).toBe(proposed);
  });

  it('never proposes a rejected pair again, and lists the rest closest first', () => {
    const others = [
      candidate({ lineId: 'A', endings: [{ kind: 'disrupted', at: day(10) }] }),
      candidate({ lineId: 'B', endings: [{ kind: 'closed', at: day(18) }] }),
      candidate({ lineId: 'C', endings: [{ kind: 'dormant', at: day(15) }] }),
    ];
    const rejected = new Set([replacementPairKey('N-NEW', 'C')]);
    expect(replacementSuggestionsFor(newLine(), others, policy, rejected).map((s) => [s.replaces, s.reasons.daysBetween])).toEqual([
      ['B', 2],
      ['A', 10],
    ]);
  });

  it('names the latest ending within the window', () => {
    const other = candidate({
      endings: [
        { kind: 'disrupted', at: day(8) },
        { kind: 'dormant', at: day(16) },
      ],
    });
    expect(replacementSuggestionsFor(newLine(), [other], policy)[0]?.reasons.ending).toEqual({ kind: 'dormant', at: day(16) });
  });

  it('from the other side: a disruption recorded later finds the new lines that appeared within the window after it', () => {
    const ended = candidate({ endings: [{ kind: 'disrupted', at: day(12) }] });
    const lines = [
      newLine({ lineId: 'N-1', at: day(13) }),
      newLine({ lineId: 'N-2', at: day(30) }),
      newLine({ lineId: 'N-3', at: day(11) }),
    ];
    expect(replacementSuggestionsAfter(ended, lines, policy).map((s) => s.lineId)).toEqual(['N-1']);
  });

  it("reads a line's endings from its timeline: disruption (a deactivation named as such), closure, dormancy", () => {
    const timeline = computeTimeline(
      'jay-1',
      [sighting(0), enforcement('line.deactivated', 5), sighting(6), enforcement('enforcement.raid', 7), closure(2, 8)],
      day(60),
      POLICY,
    );
    expect(lineEndingsOf(timeline).map((e) => `${e.kind}@${dayOf(e.at)}`)).toEqual(['deactivated@5', 'disrupted@7', 'closed@8']);
    const quiet = computeTimeline('jay-1', [sighting(0)], day(60), POLICY);
    expect(lineEndingsOf(quiet).map((e) => `${e.kind}@${dayOf(e.at)}`)).toEqual(['dormant@28']);
  });

  it('for several new lines at once, indexed by brand, answers what each line alone would (any lines, candidates and rejections)', () => {
    const brand = fc.constantFrom('Jay', 'JAY ', 'Tony', 'Bex', 'Zé', 'ze', '  ');
    const area = fc.constantFrom('paulton', 'midsomer-norton', 'bath', 'keynsham', 'radstock');
    const lineId = fc.constantFrom('L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6');
    const at = fc.integer({ min: 0, max: 40 }).map((d) => day(d / 2));
    const ending = fc.record({ kind: fc.constantFrom('disrupted', 'deactivated', 'dormant', 'closed' as const), at });
    const newLines = fc.array(fc.record({ lineId, brands: fc.array(brand, { maxLength: 2 }), area, at }), { maxLength: 4 });
    const candidates = fc.uniqueArray(
      fc.record({
        lineId,
        brands: fc.array(brand, { maxLength: 3 }),
        areas: fc.array(area, { maxLength: 2 }),
        endings: fc.array(ending, { maxLength: 3 }),
      }),
      { selector: (c) => c.lineId, maxLength: 6 },
    );
    const rejections = fc.array(fc.tuple(lineId, lineId), { maxLength: 3 });
    fc.assert(
      fc.property(newLines, candidates, rejections, (lines, others, pairs) => {
        const rejected = new Set(pairs.map(([a, b]) => replacementPairKey(a, b)));
        expect(replacementSuggestionsForEach(lines, others, policy, rejected)).toEqual(
          lines.flatMap((line) => replacementSuggestionsFor(line, others, policy, rejected)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
