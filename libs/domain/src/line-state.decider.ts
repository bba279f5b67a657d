/**
 * The line-state rules (PRODUCT.md, "Line states") as a decider, in the shape of Oskar Dudycz's
 * EventSourcing.NodeJS `samples/decider` and Emmett: `decide(command, state) → events`,
 * `evolve(state, event) → state`, `initialState()`. The state is the line's `LineTimeline`.
 *
 * The line has a clock, `asOf`, moved only by `Tick { now }` (the dormancy sweep; time is an
 * input, never read). Nothing after the clock has happened yet: an event dated after it is kept
 * `pending` and applied by the Tick that reaches it, and dormancy is materialised only at or
 * before the clock. Events are applied in event-time order (`compareLineEvents`); applying one at
 * t first materialises the dormancy due strictly before t (an event at exactly last sighting + W
 * is in time). The decider never rewrites history: an event that sorts before what it already
 * applied is refused (`out_of_order`) and the caller recomputes from the set (`computeTimeline`).
 */
import { dormancyInstant, type DormancyPolicy } from './dormancy.policy';
import { DomainError } from './domain.errors';
import type { LineEvent } from './line-event.model';
import { compareLineEvents } from './line-event.ordering';
import { transitionKind, type LineState, type TransitionKind } from './line-state';
import type {
  ClosureType,
  DormancyOverride,
  EvidenceEffect,
  EvidenceEntry,
  LineTimeline,
  StatePeriod,
  TransitionCause,
} from './line-timeline.model';

/** Emmett's decider: pure, synchronous; the caller persists the events and folds them with `evolve`. */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

// ---- commands ----

/** Take in one event of the line: applied now if at or before the clock, else kept pending. */
export interface RecordEvidence {
  readonly type: 'RecordEvidence';
  readonly event: LineEvent;
}

/** Move the clock to `now` (never back): apply the pending events and the dormancy due at or before it. */
export interface Tick {
  readonly type: 'Tick';
  readonly now: Date;
}

export type LineCommand = RecordEvidence | Tick;

// ---- domain events ----

/** Every applied event, with what it did (E-graded ones included). */
export interface EvidenceRecorded {
  readonly type: 'EvidenceRecorded';
  readonly lineId: string;
  readonly evidence: EvidenceEntry;
}

/** A sighting, number change or reopen that counts: restarts the dormancy clock, sets the line's area. */
export interface LineSighted {
  readonly type: 'LineSighted';
  readonly lineId: string;
  readonly eventId: string;
  readonly at: Date;
  readonly area: string;
}

export interface DormancyWindowSet {
  readonly type: 'DormancyWindowSet';
  readonly lineId: string;
  readonly override: DormancyOverride;
}

/** An event dated after the line's clock: it has not happened yet as far as the line knows. */
export interface EvidenceDeferred {
  readonly type: 'EvidenceDeferred';
  readonly lineId: string;
  readonly event: LineEvent;
}

export interface ClockAdvanced {
  readonly type: 'ClockAdvanced';
  readonly lineId: string;
  readonly now: Date;
}

export interface ReferralLinked {
  readonly type: 'ReferralLinked';
  readonly lineId: string;
  readonly eventId: string;
  readonly at: Date;
}

export interface LineStateChanged {
  readonly type: 'LineStateChanged';
  readonly lineId: string;
  readonly from: LineState | null;
  readonly to: LineState;
  readonly at: Date;
  readonly kind: TransitionKind;
  /** The event that caused it; null for dormancy (caused by the absence of sightings). */
  readonly causeEventId: string | null;
  readonly closureType?: ClosureType;
}

export type LineDomainEvent =
  EvidenceDeferred | EvidenceRecorded | LineSighted | DormancyWindowSet | ReferralLinked | LineStateChanged | ClockAdvanced;

// ---- the decider ----

export function initialState(lineId: string): LineTimeline {
  return {
    lineId,
    state: null,
    periods: [],
    lastSightingAt: null,
    area: null,
    areas: [],
    dormancyOverrideDays: null,
    dormancyOverrides: [],
    referrals: 0,
    evidence: [],
    pending: [],
    asOf: null,
  };
}

/** One event folded into a state (a new state; the one passed in is not changed). */
export function evolve(state: LineTimeline, event: LineDomainEvent): LineTimeline {
  return evolveAll(state, [event]);
}

export function decide(command: LineCommand, state: LineTimeline, policy: DormancyPolicy): LineDomainEvent[] {
  switch (command.type) {
    case 'Tick':
      return tick(command.now, state, policy);
    case 'RecordEvidence':
      return recordEvidence(command.event, state, policy);
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

/** The decider for one line under one dormancy policy, in Emmett's shape. */
export function lineStateDecider(lineId: string, policy: DormancyPolicy): Decider<LineTimeline, LineCommand, LineDomainEvent> {
  return {
    decide: (command, state) => decide(command, state, policy),
    evolve,
    initialState: () => initialState(lineId),
  };
}

type Draft = { -readonly [K in keyof LineTimeline]: LineTimeline[K] };

/**
 * Fold events into a state, in order (`evolve` over each), into a new state; the one passed in is
 * not changed. A list is copied once for the whole batch, on its first change, and written in
 * place after that: a Tick that applies a line's whole history decides a few events per event
 * applied, and a fresh state and fresh lists for each made recomputing a line quadratic in its
 * events. A property test holds it to a fold that copies everything for every event.
 */
export function evolveAll(state: LineTimeline, events: readonly LineDomainEvent[]): LineTimeline {
  if (events.length === 0) return state;
  const next: Draft = { ...state };
  let evidence: EvidenceEntry[] | null = null;
  let periods: StatePeriod[] | null = null;
  // Recorded events leave the pending list together: before the next insertion, or at the end.
  let recorded: Set<string> | null = null;
  for (const event of events) {
    switch (event.type) {
      case 'EvidenceDeferred': {
        next.pending = withoutRecorded(next.pending, recorded);
        recorded = null;
        const at = next.pending.findIndex((pending) => compareLineEvents(event.event, pending) < 0);
        next.pending = at === -1 ? [...next.pending, event.event] : [...next.pending.slice(0, at), event.event, ...next.pending.slice(at)];
        break;
      }
      case 'EvidenceRecorded': {
        const { area, eventId } = event.evidence.event;
        const counts = event.evidence.effect.kind !== 'graded_e_ignored';
        if (counts && !next.areas.includes(area)) next.areas = [...next.areas, area].sort();
        (recorded ??= new Set()).add(eventId);
        evidence ??= [...next.evidence];
        evidence.push(event.evidence);
        next.evidence = evidence;
        break;
      }
      case 'LineSighted':
        next.lastSightingAt = event.at;
        next.area = event.area;
        break;
      case 'DormancyWindowSet':
        next.dormancyOverrideDays = event.override.days;
        next.dormancyOverrides = [...next.dormancyOverrides, event.override];
        break;
      case 'ReferralLinked':
        next.referrals += 1;
        break;
      case 'LineStateChanged': {
        periods ??= [...next.periods];
        const last = periods.length - 1;
        if (last >= 0) periods[last] = { ...periods[last], to: event.at };
        periods.push(periodOf(event));
        next.periods = periods;
        next.state = event.to;
        break;
      }
      case 'ClockAdvanced':
        next.asOf = event.now;
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  }
  next.pending = withoutRecorded(next.pending, recorded);
  return next;
}

/** The pending list without the events recorded since (the same list when none of them is in it). */
function withoutRecorded(pending: readonly LineEvent[], recorded: ReadonlySet<string> | null): readonly LineEvent[] {
  if (recorded === null || !pending.some((p) => recorded.has(p.eventId))) return pending;
  return pending.filter((p) => !recorded.has(p.eventId));
}

function periodOf(event: LineStateChanged): StatePeriod {
  const cause: TransitionCause = { eventId: event.causeEventId, kind: event.kind };
  return event.closureType === undefined
    ? { state: event.to, from: event.at, to: null, cause }
    : { state: event.to, from: event.at, to: null, cause, closureType: event.closureType };
}

// ---- rules ----

/**
 * `E` (suspected to be false): a sighting, number change or assessment graded E is kept as
 * evidence and does nothing. PRODUCT.md says so for sightings; assessments are analyst decisions,
 * but one graded E rests on suspected-false intelligence, so it is treated the same (closure,
 * reopen and window alike). Enforcement and referrals are not exempt: PRODUCT.md gives the
 * exception for sightings only, and a warrant executed or an arrest made is a police action.
 */
export function hasNoEffect(event: LineEvent): boolean {
  switch (event.type) {
    case 'line.sighting':
    case 'line.number_changed':
    case 'line.assessed':
      return event.intelligence === 'E';
    case 'enforcement.raid':
    case 'enforcement.arrest':
    case 'enforcement.seizure':
    case 'line.deactivated':
    case 'safeguarding.referral':
      return false;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function recordEvidence(event: LineEvent, state: LineTimeline, policy: DormancyPolicy): LineDomainEvent[] {
  if (event.lineId !== state.lineId)
    throw new DomainError('wrong_line', `event ${event.eventId} is for line ${event.lineId}, not ${state.lineId}`);
  const known = (id: string) => state.evidence.some((entry) => entry.event.eventId === id) || state.pending.some((p) => p.eventId === id);
  if (known(event.eventId)) return []; // a redelivery
  if (state.asOf === null || event.occurredAt.getTime() > state.asOf.getTime()) {
    return [{ type: 'EvidenceDeferred', lineId: state.lineId, event }];
  }
  assertInOrder(event, state);
  return apply(event, state, policy);
}

function tick(now: Date, state: LineTimeline, policy: DormancyPolicy): LineDomainEvent[] {
  if (state.asOf !== null && now.getTime() < state.asOf.getTime()) return []; // the clock never goes back
  const decided: LineDomainEvent[] = [];
  // What the decisions read (`Decisive`): without the evidence, pending and period lists, so
  // folding each applied event in does not copy them — that made a Tick over a whole history
  // quadratic. The events decided are the whole result; the caller folds them into `state`.
  let current: LineTimeline = { ...state, evidence: [], pending: [], periods: [] };
  for (const event of state.pending) {
    if (event.occurredAt.getTime() > now.getTime()) break; // pending is in event-time order
    const applied = apply(event, current, policy);
    decided.push(...applied);
    current = evolveAll(current, applied);
  }
  decided.push(...dormancyDue(current, policy, now, 'at_or_before'), { type: 'ClockAdvanced', lineId: state.lineId, now });
  return decided;
}

/**
 * What the rules read of the line: all but its evidence, pending and period lists (the callers
 * check the order and redeliveries against those; `apply` folds in only the dormancy it sweeps,
 * and a change says `from` by the current state). `tick` relies on it to fold without them.
 */
type Decisive = Omit<LineTimeline, 'evidence' | 'pending' | 'periods'>;

/** Apply an event that sorts after everything applied (checked by the callers). */
function apply(event: LineEvent, state: Decisive, policy: DormancyPolicy): LineDomainEvent[] {
  const swept = dormancyDue(state, policy, event.occurredAt, 'before');
  const before: Decisive = swept.length === 0 ? state : { ...state, state: swept[swept.length - 1].to }; // what evolving `swept` changes of it
  const ignored = hasNoEffect(event);
  const { facts, to, closureType }: RuleOutcome = ignored ? { facts: [], to: null } : ruleFor(event, before);
  const kind = to === null ? null : transitionKind(before.state, to);
  const effect: EvidenceEffect = ignored
    ? { kind: 'graded_e_ignored' }
    : kind === null
      ? { kind: 'no_state_change' }
      : { kind: 'changed_state', transition: kind };

  const changed: LineDomainEvent[] =
    to === null || kind === null
      ? []
      : [
          {
            type: 'LineStateChanged',
            lineId: state.lineId,
            from: before.state,
            to,
            at: event.occurredAt,
            kind,
            causeEventId: event.eventId,
            ...(to === 'closed' && closureType !== undefined ? { closureType } : {}),
          },
        ];
  return [...swept, { type: 'EvidenceRecorded', lineId: state.lineId, evidence: { event, effect } }, ...facts, ...changed];
}

interface RuleOutcome {
  readonly facts: LineDomainEvent[];
  /** The state the event moves the line to (null: none); `transitionKind` turns "already there" into no change. */
  readonly to: LineState | null;
  readonly closureType?: ClosureType;
}

function ruleFor(event: LineEvent, state: Decisive): RuleOutcome {
  const sighted = (): LineSighted => ({
    type: 'LineSighted',
    lineId: state.lineId,
    eventId: event.eventId,
    at: event.occurredAt,
    area: event.area,
  });
  switch (event.type) {
    case 'line.sighting':
    case 'line.number_changed':
      return { facts: [sighted()], to: 'active' };
    case 'enforcement.raid':
    case 'enforcement.arrest':
    case 'enforcement.seizure':
    case 'line.deactivated':
      return { facts: [], to: state.state === 'closed' ? null : 'disrupted' };
    case 'safeguarding.referral':
      return { facts: [{ type: 'ReferralLinked', lineId: state.lineId, eventId: event.eventId, at: event.occurredAt }], to: null };
    case 'line.assessed':
      switch (event.decision) {
        case 'closure_type_1':
          return { facts: [], to: 'closed', closureType: 1 };
        case 'closure_type_2':
          return { facts: [], to: 'closed', closureType: 2 };
        case 'reopen':
          return { facts: [sighted()], to: 'active' }; // "as if sighted": restarts the dormancy clock too
        case 'dormancy_override': {
          const override: DormancyOverride = { eventId: event.eventId, from: event.occurredAt, days: event.dormancyWindowDays };
          return { facts: [{ type: 'DormancyWindowSet', lineId: state.lineId, override }], to: null };
        }
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Dormancy of an active line due `before` (strictly) or `at_or_before` the given instant. */
function dormancyDue(state: Decisive, policy: DormancyPolicy, until: Date, bound: 'before' | 'at_or_before'): LineStateChanged[] {
  if (state.state !== 'active') return [];
  const at = dormancyInstant(state, policy);
  if (at === null) return [];
  const due = bound === 'before' ? at.getTime() < until.getTime() : at.getTime() <= until.getTime();
  if (!due) return [];
  return [{ type: 'LineStateChanged', lineId: state.lineId, from: 'active', to: 'dormant', at, kind: 'went_dormant', causeEventId: null }];
}

/**
 * An event must sort after the last one applied, and after a dormancy already swept in (at the
 * same instant it would have been applied first). Anything else rewrites history: recompute.
 */
function assertInOrder(event: LineEvent, state: LineTimeline): void {
  const last = state.evidence.at(-1);
  if (last !== undefined && compareLineEvents(event, last.event) < 0) {
    throw new DomainError('out_of_order', `event ${event.eventId} sorts before ${last.event.eventId}, already applied`);
  }
  const current = state.periods.at(-1);
  if (current !== undefined && current.cause.eventId === null && event.occurredAt.getTime() <= current.from.getTime()) {
    throw new DomainError('out_of_order', `event ${event.eventId} is not after the dormancy swept in at ${current.from.toISOString()}`);
  }
}
