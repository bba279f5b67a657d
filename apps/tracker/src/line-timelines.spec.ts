import { initialState, type LineTimeline, type StatePeriod } from '@linewatch/domain';
import { decodeSnapshot, snapshotDocument } from '@linewatch/persistence';
import fc from 'fast-check';
import { samePeriods } from './line-timelines';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1) + minute * 60_000);

/** Periods from small domains, so that two drawn lists are often equal or differ in one field. */
const period: fc.Arbitrary<StatePeriod> = fc
  .record({
    state: fc.constantFrom('active', 'dormant', 'disrupted', 'closed'),
    from: fc.integer({ min: 0, max: 3 }),
    to: fc.option(fc.integer({ min: 3, max: 5 })),
    kind: fc.constantFrom('new', 'reactivated', 'disrupted'),
    eventId: fc.option(fc.constantFrom('e-1', 'e-2')),
    closureType: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
  })
  .map(
    ({ state, from, to, kind, eventId, closureType }) =>
      ({
        state,
        from: at(from),
        to: to === null ? null : at(to),
        cause: { kind, eventId },
        ...(closureType === undefined ? {} : { closureType }),
      }) as StatePeriod,
  );

const timeline = (periods: readonly StatePeriod[]): LineTimeline => ({ ...initialState('JAY-01'), periods: [...periods] });

/** A timeline as the tracker reads it back from `lines.snapshot`. */
const stored = (periods: readonly StatePeriod[]): LineTimeline =>
  decodeSnapshot(JSON.parse(JSON.stringify(snapshotDocument(timeline(periods))))) as LineTimeline;

describe('samePeriods (whether the line’s periods are rewritten)', () => {
  it('agrees with comparing the periods as JSON, for a stored snapshot against a computed timeline', () => {
    fc.assert(
      fc.property(fc.array(period, { maxLength: 3 }), fc.array(period, { maxLength: 3 }), fc.boolean(), (a, b, same) => {
        const computed = same ? a : b;
        expect(samePeriods(stored(a), timeline(computed))).toBe(JSON.stringify(a) === JSON.stringify(computed));
      }),
      { numRuns: 500 },
    );
  });

  it('is false without a snapshot, and for a closure type or a cause that differs', () => {
    const closed: StatePeriod = { state: 'closed', from: at(0), to: null, cause: { kind: 'closed', eventId: 'e-1' }, closureType: 1 };
    expect(samePeriods(null, timeline([closed]))).toBe(false);
    expect(samePeriods(stored([closed]), timeline([{ ...closed, closureType: 2 }]))).toBe(false);
    expect(samePeriods(stored([closed]), timeline([{ ...closed, cause: { kind: 'closed', eventId: 'e-2' } }]))).toBe(false);
    expect(samePeriods(stored([closed]), timeline([{ ...closed, to: at(1) }]))).toBe(false);
    expect(samePeriods(stored([closed]), timeline([closed]))).toBe(true);
  });
});
