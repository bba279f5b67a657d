import type { IntelEventV1 } from '@linewatch/contracts';
import {
  EMPTY_LINK_STATE,
  LINK_ERROR_KINDS,
  aliasesOf,
  attachmentFacts,
  computeTimeline,
  decideLink,
  identityFactsOf,
  lineIdentityOf,
  linkDecisionOf,
  linkStateOf,
  retargeted,
  rootOf,
  type LineEvent,
  type LinkDecision,
  type LinkState,
} from '@linewatch/domain';
import fc from 'fast-check';
import { NUMBERS, deactivatedOf, numberChangedTo, sightingOf } from './testing/identity-events.factory';
import { POLICY, closure, day, enforcement, periodsOf, referral, reopen, sighting } from './testing/line-events.factory';

const merge = (lineId: string, into: string, at = 10, eventId = `m-${lineId}-${into}-${at}`): LinkDecision => ({
  type: 'merge',
  eventId,
  at: day(at),
  lineId,
  into,
});
const unmerge = (lineId: string, mergeEventId: string, at = 20, eventId = `u-${mergeEventId}-${at}`): LinkDecision => ({
  type: 'unmerge',
  eventId,
  at: day(at),
  lineId,
  mergeEventId,
});

function stateOf(...decisions: LinkDecision[]): LinkState {
  return decisions.reduce((state, decision) => {
    const outcome = decideLink(state, decision);
    if (!outcome.ok) throw new Error(`${decision.eventId} refused: ${outcome.code}`);
    return outcome.state;
  }, EMPTY_LINK_STATE);
}

describe('merges and unmerges', () => {
  it('resolves a merged line to the survivor, along chains (A ← B ← C), and lists the aliases', () => {
    const state = stateOf(merge('C', 'B'), merge('B', 'A'));
    expect(['A', 'B', 'C', 'D'].map((id) => rootOf(state, id))).toEqual(['A', 'A', 'A', 'D']);
    expect(aliasesOf(state, 'A')).toEqual(['B', 'C']);
  });

  it('undoes one merge exactly: unmerging B from A keeps C merged into B', () => {
    const state = stateOf(merge('C', 'B'), merge('B', 'A', 11, 'm-BA'), unmerge('B', 'm-BA'));
    expect(['A', 'B', 'C'].map((id) => rootOf(state, id))).toEqual(['A', 'B', 'B']);
  });

  it.each<[string, LinkDecision[], LinkDecision, string, 'conflict' | 'not_found']>([
    ['a line into itself', [], merge('A', 'A'), 'merge_into_itself', 'conflict'],
    ['a line into its own alias', [merge('B', 'A')], merge('A', 'B'), 'merge_into_own_alias', 'conflict'],
    [
      'a line into an alias further down its chain (a cycle)',
      [merge('C', 'B'), merge('B', 'A')],
      merge('A', 'C'),
      'merge_into_own_alias',
      'conflict',
    ],
    ['a line already merged into that line', [merge('B', 'A')], merge('B', 'A', 12), 'already_merged', 'conflict'],
    ['a line already merged into another', [merge('B', 'A')], merge('B', 'C', 12), 'already_merged', 'conflict'],
    ['an unmerge of a merge that never happened', [], unmerge('B', 'm-nothing'), 'merge_not_found', 'not_found'],
    ['an unmerge naming a merge of another line', [merge('B', 'A', 10, 'm-1')], unmerge('C', 'm-1'), 'merge_not_found', 'not_found'],
    [
      'an unmerge of a merge already undone',
      [merge('B', 'A', 10, 'm-1'), unmerge('B', 'm-1', 20, 'u-1')],
      unmerge('B', 'm-1', 21, 'u-2'),
      'already_unmerged',
      'conflict',
    ],
    ['an unmerge dated before its merge', [merge('B', 'A', 10, 'm-1')], unmerge('B', 'm-1', 5), 'unmerge_before_merge', 'conflict'],
  ])('refuses %s', (_what, before, decision, code, kind) => {
    const outcome = decideLink(stateOf(...before), decision);
    expect(outcome.ok ? 'accepted' : { code: outcome.code, kind: LINK_ERROR_KINDS[outcome.code] }).toEqual({ code, kind });
  });

  it('allows merging into an alias (the chain resolves to the root) and merging again after an unmerge', () => {
    const state = stateOf(merge('B', 'A', 10, 'm-1'), merge('C', 'B'), unmerge('B', 'm-1'), merge('B', 'D', 30));
    expect(['B', 'C'].map((id) => rootOf(state, id))).toEqual(['D', 'D']);
  });

  it('applies a redelivered decision once', () => {
    const once = stateOf(merge('B', 'A', 10, 'm-1'));
    expect(decideLink(once, merge('B', 'A', 10, 'm-1'))).toEqual({ ok: true, state: once });
  });

  it('maps the contract decisions', () => {
    const envelope = {
      eventId: 'e-1',
      occurredAt: '2026-01-15T00:00:00.000Z',
      area: 'bath',
      grading: { system: '3x5x2' as const, source: '1' as const, intelligence: 'A' as const, handling: 'P' as const },
      source: { system: 'linewatch-api', reference: 'analyst' },
      lineId: 'B',
    };
    const who = { decidedBy: 'analyst-1', justification: 'same brand' };
    expect(linkDecisionOf({ ...envelope, type: 'line.merged', body: { into: 'A', ...who } })).toEqual(merge('B', 'A', 10, 'e-1'));
    expect(linkDecisionOf({ ...envelope, type: 'line.unmerged', body: { mergeEventId: 'm-1', ...who } })).toEqual(
      unmerge('B', 'm-1', 10, 'e-1'),
    );
    expect(linkDecisionOf({ ...envelope, type: 'line.identifier_attached', body: { imei: '490154203237518', ...who } })).toMatchObject({
      type: 'attach',
      identifier: { kind: 'imei', value: '490154203237518' },
    });
  });

  it('turns attachments into identity facts of their line', () => {
    const state = stateOf({ type: 'attach', eventId: 'a-1', at: day(4), lineId: 'A', identifier: { kind: 'msisdn', value: NUMBERS[0] } });
    expect(lineIdentityOf('A', attachmentFacts(state)).currentNumber).toBe(NUMBERS[0]);
  });
});

describe('link state properties', () => {
  const LINES = ['A', 'B', 'C', 'D'] as const;
  const arbDecision: fc.Arbitrary<LinkDecision> = fc.oneof(
    fc
      .tuple(fc.constantFrom(...LINES), fc.constantFrom(...LINES), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }))
      .map(([lineId, into, at, n]) => merge(lineId, into, at, `m-${n}`)),
    fc
      .tuple(fc.constantFrom(...LINES), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }))
      .map(([lineId, m, at, n]) => unmerge(lineId, `m-${m}`, at, `u-${n}`)),
  );
  const arbDecisions = fc.uniqueArray(arbDecision, { selector: (d) => d.eventId, maxLength: 12 });

  it('given any set of decisions, in any order and some twice, then the state and what was refused are the same', () => {
    fc.assert(
      fc.property(
        arbDecisions.chain((ds) =>
          fc.tuple(fc.constant(ds), fc.shuffledSubarray(ds, { minLength: ds.length, maxLength: ds.length }), fc.subarray(ds)),
        ),
        ([decisions, shuffled, again]) => {
          expect(linkStateOf([...shuffled, ...again])).toEqual(linkStateOf(decisions));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given any decisions, then no line resolves along a cycle and every root is not merged', () => {
    fc.assert(
      fc.property(arbDecisions, (decisions) => {
        const { state } = linkStateOf(decisions);
        for (const lineId of LINES) expect(rootOf(state, rootOf(state, lineId))).toBe(rootOf(state, lineId));
      }),
      { numRuns: 300 },
    );
  });
});

describe('merge then unmerge restores both lines exactly', () => {
  const arbDay = fc.integer({ min: 0, max: 120 }).map((halfDays) => halfDays / 2);
  const arbLine = fc.constantFrom('A', 'B');
  const arbId = fc.integer({ min: 0, max: 2 ** 30 }).map((n) => `ev-${n.toString(36)}`);
  const arbLineEvent: fc.Arbitrary<LineEvent> = fc.oneof(
    fc.tuple(arbDay, arbLine, arbId).map(([d, line, id]) => sighting(d, { line, id })),
    fc.tuple(arbDay, arbLine, arbId).map(([d, line, id]) => enforcement('enforcement.raid', d, { line, id })),
    fc.tuple(arbDay, arbLine, arbId).map(([d, line, id]) => closure(2, d, { line, id })),
    fc.tuple(arbDay, arbLine, arbId).map(([d, line, id]) => reopen(d, { line, id })),
    fc.tuple(arbDay, arbLine, arbId).map(([d, line, id]) => referral(d, { line, id })),
  );
  const arbIdentityEvent: fc.Arbitrary<IntelEventV1> = fc.oneof(
    fc
      .tuple(arbDay, arbLine, arbId, fc.constantFrom(...NUMBERS))
      .map(([d, line, id, msisdn]) => sightingOf(d, { msisdn, brand: 'Jay' }, { line, id })),
    fc.tuple(arbDay, arbLine, arbId, fc.constantFrom(...NUMBERS)).map(([d, line, id, to]) => numberChangedTo(d, to, {}, { line, id })),
    fc.tuple(arbDay, arbLine, arbId).map(([d, line, id]) => deactivatedOf(d, undefined, { line, id })),
  );
  const arbWorld = fc.tuple(
    fc.uniqueArray(arbLineEvent, { selector: (e) => e.eventId, maxLength: 20 }),
    fc.uniqueArray(arbIdentityEvent, { selector: (e) => e.eventId, maxLength: 12 }),
    fc.integer({ min: 0, max: 60 }),
    fc.integer({ min: 0, max: 60 }),
  );
  const NOW = day(200);

  it('given any events of A and B, when B is merged into A, then A is the union; when unmerged, then A and B are exactly as before', () => {
    fc.assert(
      fc.property(arbWorld, ([events, identityEvents, mergeDay, later]) => {
        const facts = identityEvents.flatMap(identityFactsOf);
        const read = (state: LinkState, lineId: string) => {
          const root = rootOf(state, lineId);
          return {
            line: root,
            timeline: computeTimeline(root, retargeted(state, events), NOW, POLICY),
            identity: lineIdentityOf(root, retargeted(state, facts)),
          };
        };
        const before = { A: read(EMPTY_LINK_STATE, 'A'), B: read(EMPTY_LINK_STATE, 'B') };
        const merged = stateOf(merge('B', 'A', mergeDay, 'm-1'));
        const union = events.map((event) => ({ ...event, lineId: 'A' }));
        expect(read(merged, 'B')).toEqual(read(merged, 'A'));
        expect(periodsOf(read(merged, 'A').timeline)).toEqual(periodsOf(computeTimeline('A', union, NOW, POLICY)));
        expect(read(merged, 'A').identity).toEqual(
          lineIdentityOf(
            'A',
            facts.map((fact) => ({ ...fact, lineId: 'A' })),
          ),
        );
        const unmerged = stateOf(merge('B', 'A', mergeDay, 'm-1'), unmerge('B', 'm-1', mergeDay + later));
        expect({ A: read(unmerged, 'A'), B: read(unmerged, 'B') }).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
