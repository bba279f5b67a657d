/**
 * Properties of the timeline (fast-check): it is a function of the SET of events and the clock,
 * the decider folded incrementally agrees with a recomputation from scratch, periods tile time,
 * and only legal transitions happen.
 */
import {
  DomainError,
  advanceTimeline,
  compactTimeline,
  computeTimeline,
  currentStateChange,
  evolveAll,
  hasNoEffect,
  inEventTimeOrder,
  isLegalTransition,
  lineStateDecider,
  transitionKind,
  type EnforcementType,
  type IntelligenceGrade,
  type LineEvent,
  type LineTimeline,
  type SightingType,
} from '@linewatch/domain';
import fc from 'fast-check';
import {
  LINE,
  POLICY,
  closure,
  day,
  dormancyOverride,
  enforcement,
  referral,
  reopen,
  sighting,
  type EventOptions,
} from './testing/line-events.factory';

const RUNS = { numRuns: 300 };

// Half-day steps over a year: same-instant ties are frequent, and so are gaps longer than a window.
const arbDay = fc.integer({ min: 0, max: 730 }).map((halfDays) => halfDays / 2);
const arbNow = fc.integer({ min: 0, max: 900 }).map((halfDays) => day(halfDays / 2));
const arbOptions: fc.Arbitrary<Required<Omit<EventOptions, 'line'>>> = fc.record({
  id: fc.integer({ min: 0, max: 2 ** 30 }).map((n) => `ev-${n.toString(36)}`),
  area: fc.constantFrom('bath', 'keynsham', 'paulton'),
  grade: fc.constantFrom<IntelligenceGrade>('A', 'B', 'C', 'D', 'E'),
});

const arbEvent: fc.Arbitrary<LineEvent> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(arbDay, arbOptions, fc.constantFrom<SightingType>('line.sighting', 'line.number_changed'))
      .map(([d, o, type]) => sighting(d, o, type)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        arbDay,
        arbOptions,
        fc.constantFrom<EnforcementType>('enforcement.raid', 'enforcement.arrest', 'enforcement.seizure', 'line.deactivated'),
      )
      .map(([d, o, type]) => enforcement(type, d, o)),
  },
  { weight: 1, arbitrary: fc.tuple(arbDay, arbOptions, fc.constantFrom<1 | 2>(1, 2)).map(([d, o, type]) => closure(type, d, o)) },
  { weight: 1, arbitrary: fc.tuple(arbDay, arbOptions).map(([d, o]) => reopen(d, o)) },
  {
    weight: 1,
    arbitrary: fc.tuple(arbDay, arbOptions, fc.integer({ min: 1, max: 90 })).map(([d, o, days]) => dormancyOverride(d, days, o)),
  },
  { weight: 1, arbitrary: fc.tuple(arbDay, arbOptions).map(([d, o]) => referral(d, o)) },
);
const arbEvents = fc.uniqueArray(arbEvent, { selector: (event) => event.eventId, maxLength: 30 });

/** Events, a permutation of them, and some of them again (redeliveries). */
const arbArrivals = arbEvents.chain((events) =>
  fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.subarray(events)),
);

const compute = (events: readonly LineEvent[], now: Date): LineTimeline => computeTimeline(LINE, events, now, POLICY);

describe('timeline properties', () => {
  it('given any set of events, when they arrive in any order and some twice, then the timeline is the same', () => {
    fc.assert(
      fc.property(arbArrivals, arbNow, ([events, shuffled, again], now) => {
        expect(compute([...shuffled, ...again], now)).toEqual(compute(events, now));
      }),
      RUNS,
    );
  });

  it('given events of other lines mixed in, when computed, then they do not matter', () => {
    fc.assert(
      fc.property(arbEvents, arbEvents, arbNow, (events, others, now) => {
        const foreign = others.map((event) => ({ ...event, eventId: `other-${event.eventId}`, lineId: 'other' }));
        expect(compute([...foreign, ...events], now)).toEqual(compute(events, now));
      }),
      RUNS,
    );
  });

  it('given events added one by one, when recomputed from scratch each time, then it equals computing from all at once', () => {
    fc.assert(
      fc.property(arbArrivals, arbNow, ([events, arrivals], now) => {
        let arrived: LineEvent[] = [];
        let stored = compute([], now);
        for (const event of arrivals) {
          arrived = [...arrived, event];
          stored = compute(arrived, now);
        }
        expect(stored).toEqual(compute(events, now));
      }),
      RUNS,
    );
  });

  it('given the decider folding arrivals as they come (recomputing on out-of-order), with sweeps between, then replay equals stored', () => {
    const decider = lineStateDecider(LINE, POLICY);
    fc.assert(
      fc.property(
        arbArrivals,
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 31, maxLength: 31 }),
        ([events, shuffled, again], clockSteps) => {
          const arrivals = [...shuffled, ...again];
          let arrived: LineEvent[] = [];
          let stored = decider.initialState();
          let clock = day(0);
          arrivals.forEach((event, i) => {
            arrived = [...arrived, event];
            clock = day((clock.getTime() - day(0).getTime()) / 86_400_000 + (clockSteps[i % clockSteps.length] ?? 0));
            try {
              stored = evolveAll(stored, decider.decide({ type: 'RecordEvidence', event }, stored));
            } catch (error) {
              if (!(error instanceof DomainError) || error.code !== 'out_of_order') throw error;
              stored = compute(arrived, clock);
            }
            stored = evolveAll(stored, decider.decide({ type: 'Tick', now: clock }, stored));
          });
          const now = day(900);
          stored = evolveAll(stored, decider.decide({ type: 'Tick', now }, stored));
          expect(stored).toEqual(compute(events, now));
        },
      ),
      RUNS,
    );
  });

  it('given any timeline, then its periods are contiguous, in order, never overlap, and the last is open', () => {
    fc.assert(
      fc.property(arbEvents, arbNow, (events, now) => {
        const { periods, state } = compute(events, now);
        expect(periods.slice(0, -1).map((period) => period.to)).toEqual(periods.slice(1).map((period) => period.from));
        expect(periods.at(-1)?.to ?? null).toBeNull();
        expect(periods.every((period, i) => i === 0 || periods[i - 1].from.getTime() <= period.from.getTime())).toBe(true);
        expect(state).toBe(periods.at(-1)?.state ?? null);
      }),
      RUNS,
    );
  });

  it('given any timeline, then every change is a legal transition named by transitionKind (never closed → dormant …)', () => {
    fc.assert(
      fc.property(arbEvents, arbNow, (events, now) => {
        let previous: LineTimeline['state'] = null;
        for (const period of compute(events, now).periods) {
          expect(isLegalTransition(previous, period.state)).toBe(true);
          expect(period.cause.kind).toBe(transitionKind(previous, period.state));
          expect(period.cause.eventId === null).toBe(period.state === 'dormant');
          expect(period.closureType !== undefined).toBe(period.state === 'closed');
          previous = period.state;
        }
      }),
      RUNS,
    );
  });

  it('given E-graded sightings and assessments, when left out, then the state history is the same (they are evidence only)', () => {
    fc.assert(
      fc.property(arbEvents, arbNow, (events, now) => {
        // What differs is only the record of them: evidence, pending, and the areas evidence was seen in.
        const stateOf = ({ evidence: _evidence, pending: _pending, areas: _areas, ...state }: LineTimeline) => state;
        expect(stateOf(compute(events, now))).toEqual(
          stateOf(
            compute(
              events.filter((event) => !hasNoEffect(event)),
              now,
            ),
          ),
        );
      }),
      RUNS,
    );
  });

  it('given two computations, then currentStateChange is null exactly when the current state is the same', () => {
    fc.assert(
      fc.property(arbEvents, arbEvents, arbNow, arbNow, (older, newer, then, now) => {
        const before = compute(older, then);
        const after = compute([...older, ...newer], now);
        const change = currentStateChange(before, after);
        const same = after.state === null || before.state === after.state;
        expect(change && { from: change.from, to: change.to, kind: change.kind }).toEqual(
          same ? null : { from: before.state, to: after.state, kind: transitionKind(before.state, after.state) },
        );
      }),
      RUNS,
    );
  });
});

describe('late events in a dormant period', () => {
  const arbFraction = fc.double({ min: 0.01, max: 0.99, noNaN: true });
  const dormantPeriods = (timeline: LineTimeline, now: Date) =>
    timeline.periods
      .map((period) => ({ period, end: (period.to ?? now).getTime() }))
      .filter(({ period, end }) => period.state === 'dormant' && end - period.from.getTime() >= 2);
  const inside = (from: Date, end: number, fraction: number): number | null => {
    const mid = Math.floor(from.getTime() + (end - from.getTime()) * fraction);
    return mid > from.getTime() && mid < end ? mid : null;
  };
  const at = (ms: number): number => (ms - day(0).getTime()) / 86_400_000;

  it('given a line dormant now, when a late event that changes nothing arrives in the middle of that period, then no change is raised', () => {
    const arbNeutral = fc.tuple(arbOptions, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 90 }));
    fc.assert(
      fc.property(arbEvents, arbNow, arbFraction, arbNeutral, (events, now, fraction, [options, which, windowDays]) => {
        const before = compute(events, now);
        const current = dormantPeriods(before, now).find(({ period }) => period.to === null);
        fc.pre(current !== undefined);
        const mid = inside(current.period.from, current.end, fraction);
        fc.pre(mid !== null);
        const id = { ...options, id: `late-${options.id}` };
        const late = [
          referral(at(mid), id),
          sighting(at(mid), { ...id, grade: 'E' }),
          closure(1, at(mid), { ...id, grade: 'E' }),
          reopen(at(mid), { ...id, grade: 'E' }),
          dormancyOverride(at(mid), windowDays, id),
        ][which];
        expect(currentStateChange(before, compute([...events, late], now))).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('given a line that was dormant before, when a late sighting arrives in the middle of that earlier period, then history changes but no change is raised', () => {
    fc.assert(
      fc.property(arbEvents, arbNow, arbFraction, arbOptions, (events, now, fraction, options) => {
        const before = compute(events, now);
        const earlier = dormantPeriods(before, now).filter(({ period }) => period.to !== null);
        fc.pre(earlier.length > 0);
        const { period, end } = earlier[Math.floor(fraction * earlier.length)];
        const mid = inside(period.from, end, fraction);
        fc.pre(mid !== null);
        const late = sighting(at(mid), { ...options, id: `late-${options.id}`, grade: 'A' });
        const after = compute([...events, late], now);
        expect(after.periods).not.toEqual(before.periods);
        expect(currentStateChange(before, after)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});

describe("the tracker's fast path (kept timeline + fresh events)", () => {
  const withoutEvidence = ({ evidence: _evidence, ...rest }: LineTimeline) => rest;
  /** A set of events split into what arrived first and what arrives next. */
  const arbSplit = arbEvents.chain((events) =>
    fc.tuple(fc.constant(events), fc.array(fc.boolean(), { minLength: events.length, maxLength: events.length })),
  );
  const arbClocks = fc
    .tuple(arbNow, fc.integer({ min: 0, max: 200 }))
    .map(([then, later]) => [then, new Date(then.getTime() + later * 43_200_000)] as const);

  it('given a kept timeline, when fresh events are advanced into it, then it equals the recomputation, or it asks for one', () => {
    fc.assert(
      fc.property(arbSplit, arbClocks, ([events, firsts], [then, now]) => {
        const earlier = events.filter((_, i) => firsts[i]);
        const fresh = events.filter((_, i) => !firsts[i]);
        const advanced = advanceTimeline(compactTimeline(compute(earlier, then)), fresh, now, POLICY);
        const full = compute(events, now);
        // Only a report dated at or before the kept clock may send it back to the database.
        const outcome =
          advanced === 'recompute'
            ? { recompute: fresh.some((event) => event.occurredAt.getTime() <= then.getTime()) }
            : { timeline: withoutEvidence(advanced), last: advanced.evidence.at(-1) };
        expect(outcome).toEqual(
          advanced === 'recompute' ? { recompute: true } : { timeline: withoutEvidence(full), last: full.evidence.at(-1) },
        );
      }),
      RUNS,
    );
  });

  it('given a slice whose clock is behind the kept one (another process swept the line later), when advanced, then it equals the recomputation at the kept clock', () => {
    fc.assert(
      fc.property(arbSplit, arbClocks, ([events, firsts], [then, later]) => {
        const earlier = events.filter((_, i) => firsts[i]);
        const fresh = events.filter((_, i) => !firsts[i]);
        const advanced = advanceTimeline(compactTimeline(compute(earlier, later)), fresh, then, POLICY);
        if (advanced === 'recompute') return; // the tracker recomputes at the later of the two clocks
        const full = compute(events, later);
        expect({ timeline: withoutEvidence(advanced), last: advanced.evidence.at(-1) }).toEqual({
          timeline: withoutEvidence(full),
          last: full.evidence.at(-1),
        });
      }),
      RUNS,
    );
  });

  it('given fresh events all dated after the kept clock, when advanced, then no recomputation is needed', () => {
    fc.assert(
      fc.property(arbSplit, arbClocks, ([events, firsts], [then, now]) => {
        const earlier = events.filter((event, i) => firsts[i] || event.occurredAt.getTime() <= then.getTime());
        const fresh = events.filter((event, i) => !firsts[i] && event.occurredAt.getTime() > then.getTime());
        const advanced = advanceTimeline(compactTimeline(compute(earlier, then)), fresh, now, POLICY);
        expect(advanced).not.toBe('recompute');
      }),
      RUNS,
    );
  });

  it('given a backlog sent oldest first while the clock is past it all, when advanced batch by batch, then it never recomputes and ends as from scratch', () => {
    fc.assert(
      fc.property(arbEvents, fc.integer({ min: 1, max: 6 }), (events, batchSize) => {
        const ordered = inEventTimeOrder(events);
        const clock = day(900); // after every event: each batch lands before the dormancy the clock swept in
        let kept = compactTimeline(compute([], clock));
        const paths: string[] = [];
        for (let i = 0; i < ordered.length; i += batchSize) {
          const advanced = advanceTimeline(kept, ordered.slice(i, i + batchSize), clock, POLICY);
          paths.push(advanced === 'recompute' ? 'recompute' : 'fast');
          kept = compactTimeline(advanced === 'recompute' ? compute(ordered.slice(0, i + batchSize), clock) : advanced);
        }
        expect({ paths: paths.filter((p) => p === 'recompute'), timeline: withoutEvidence(kept) }).toEqual({
          paths: [],
          timeline: withoutEvidence(compactTimeline(compute(events, clock))),
        });
      }),
      RUNS,
    );
  });

  it('given batches arriving in any order with the clock moving, when kept compacted and recomputed on demand, then the end equals from scratch', () => {
    fc.assert(
      fc.property(arbArrivals, fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 8 }), ([events, shuffled], steps) => {
        const batchSize = Math.max(1, Math.ceil(shuffled.length / steps.length));
        let kept = compactTimeline(compute([], day(0)));
        let arrived: LineEvent[] = [];
        let clock = day(0);
        steps.forEach((step, i) => {
          const batch = shuffled.slice(i * batchSize, (i + 1) * batchSize);
          arrived = [...arrived, ...batch];
          clock = new Date(clock.getTime() + step * 86_400_000);
          const advanced = advanceTimeline(kept, batch, clock, POLICY);
          kept = compactTimeline(advanced === 'recompute' ? compute(arrived, clock) : advanced);
        });
        const rest = shuffled.slice(steps.length * batchSize);
        const final = advanceTimeline(kept, rest, day(900), POLICY);
        const expected = compute(events, day(900));
        const got = final === 'recompute' ? compute(events, day(900)) : final;
        expect(withoutEvidence(got)).toEqual(withoutEvidence(expected));
      }),
      RUNS,
    );
  });
});
