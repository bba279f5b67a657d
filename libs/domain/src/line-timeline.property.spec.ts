/**
 * Properties of the timeline (fast-check): it is a function of the SET of events and the clock,
 * the decider folded incrementally agrees with a recomputation from scratch, periods tile time,
 * and only legal transitions happen.
 */
import {
  DomainError,
  advanceTimeline,
  compactTimeline,
  compareLineEvents,
  computeTimeline,
  currentStateChange,
  evolve,
  evolveAll,
  hasNoEffect,
  inEventTimeOrder,
  isLegalTransition,
  lineStateDecider,
  transitionKind,
  type EnforcementType,
  type IntelligenceGrade,
  type LineCommand,
  type LineDomainEvent,
  type LineEvent,
  type LineTimeline,
  type StatePeriod,
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

describe("the fold's shortcuts (a batch copies each list once; a recomputation starts with every event pending)", () => {
  /** The fold as first written: a fresh state and fresh lists for every event — the reference. */
  function evolveByCopy(state: LineTimeline, event: LineDomainEvent): LineTimeline {
    switch (event.type) {
      case 'EvidenceDeferred': {
        const at = state.pending.findIndex((pending) => compareLineEvents(event.event, pending) < 0);
        const pending =
          at === -1 ? [...state.pending, event.event] : [...state.pending.slice(0, at), event.event, ...state.pending.slice(at)];
        return { ...state, pending };
      }
      case 'EvidenceRecorded': {
        const { area, eventId } = event.evidence.event;
        const counts = event.evidence.effect.kind !== 'graded_e_ignored';
        const areas = counts && !state.areas.includes(area) ? [...state.areas, area].sort() : state.areas;
        return {
          ...state,
          areas,
          pending: state.pending.filter((p) => p.eventId !== eventId),
          evidence: [...state.evidence, event.evidence],
        };
      }
      case 'LineSighted':
        return { ...state, lastSightingAt: event.at, area: event.area };
      case 'DormancyWindowSet':
        return { ...state, dormancyOverrideDays: event.override.days, dormancyOverrides: [...state.dormancyOverrides, event.override] };
      case 'ReferralLinked':
        return { ...state, referrals: state.referrals + 1 };
      case 'LineStateChanged': {
        const closed = state.periods.map((period, i) => (i === state.periods.length - 1 ? { ...period, to: event.at } : period));
        const cause = { eventId: event.causeEventId, kind: event.kind };
        const next: StatePeriod =
          event.closureType === undefined
            ? { state: event.to, from: event.at, to: null, cause }
            : { state: event.to, from: event.at, to: null, cause, closureType: event.closureType };
        return { ...state, state: event.to, periods: [...closed, next] };
      }
      case 'ClockAdvanced':
        return { ...state, asOf: event.now };
    }
  }

  function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const inner of Object.values(value)) deepFreeze(inner);
    }
    return value;
  }

  /** Commands a line might get: each event recorded (in the arrival order given) with Ticks between. */
  const arbCommands = arbArrivals.chain(([, shuffled, again]) =>
    fc
      .array(fc.option(arbNow, { freq: 2 }), { minLength: shuffled.length + again.length, maxLength: shuffled.length + again.length })
      .map((ticks) =>
        [...shuffled, ...again].flatMap((event, i): LineCommand[] => {
          const now = ticks[i];
          return now === null || now === undefined
            ? [{ type: 'RecordEvidence', event }]
            : [
                { type: 'RecordEvidence', event },
                { type: 'Tick', now },
              ];
        }),
      ),
  );

  it('given any commands, when what the decider decides is folded in batches of any size, then it equals the fold one event and one copy at a time, and no state folded from is changed', () => {
    const decider = lineStateDecider(LINE, POLICY);
    fc.assert(
      fc.property(arbCommands, fc.integer({ min: 1, max: 40 }), (commands, batchSize) => {
        // Decide along the reference fold (a command the decider refuses as out of order is left out) …
        let reference = decider.initialState();
        const decided: LineDomainEvent[] = [];
        for (const command of commands) {
          try {
            const events = decider.decide(command, reference);
            decided.push(...events);
            reference = events.reduce(evolveByCopy, reference);
          } catch (error) {
            if (!(error instanceof DomainError) || error.code !== 'out_of_order') throw error;
          }
        }
        // … then fold the same events in batches, each from a frozen state: a write to it would throw.
        let batched = decider.initialState();
        for (let i = 0; i < decided.length; i += batchSize) batched = evolveAll(deepFreeze(batched), decided.slice(i, i + batchSize));
        expect(batched).toEqual(reference);
        expect(decided.reduce((state, event) => evolve(deepFreeze(state), event), decider.initialState())).toEqual(reference);
      }),
      RUNS,
    );
  });

  it('given any set of events, when computed, then it equals recording each one and ticking, folded one event and one copy at a time', () => {
    const decider = lineStateDecider(LINE, POLICY);
    const run = (state: LineTimeline, command: LineCommand) => decider.decide(command, state).reduce(evolveByCopy, state);
    fc.assert(
      fc.property(arbArrivals, arbNow, ([, shuffled, again], now) => {
        const recorded = [...shuffled, ...again].reduce(
          (state, event) => run(state, { type: 'RecordEvidence', event }),
          decider.initialState(),
        );
        expect(compute([...shuffled, ...again], now)).toEqual(run(recorded, { type: 'Tick', now }));
      }),
      RUNS,
    );
  });
});
