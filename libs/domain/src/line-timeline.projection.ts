/**
 * What the tracker calls: a line's timeline from the set of its events and the clock, the change
 * of its current state between two computations (what raises an alert), and when the dormancy
 * sweep must look at it next.
 */
import { dormancyInstant, type DormancyPolicy } from './dormancy.policy';
import { DomainError } from './domain.errors';
import type { LineEvent } from './line-event.model';
import { inEventTimeOrder } from './line-event.ordering';
import { transitionKind, type LineState } from './line-state';
import { evolveAll, lineStateDecider, type LineCommand } from './line-state.decider';
import type { LineTimeline, StateChange } from './line-timeline.model';

/**
 * The timeline of `lineId` as of `now`: a pure function of the SET of its events (events of other
 * lines are ignored, a repeated `eventId` counts once, arrival order does not matter), `now` and
 * the policy. Events are applied in event-time order (`compareLineEvents`); dormancy is
 * materialised at last sighting + W when that instant is before the next event and ≤ `now`.
 * Events dated after `now` (intake allows a small clock skew) have not happened yet: they are
 * `pending`, applied by a later computation or Tick (`nextDormancyAt` says when). A caller that
 * trusts them may pass `now` = max(clock, newest event).
 *
 * It is the decider's fold: record every event (the fresh state has no clock, so all wait), then
 * one `Tick { now }` applies them in order with the dormancy between. Recording them one by one
 * into a fresh state gives exactly the state with every distinct event pending in event-time
 * order, so that state is built at once (recording each scanned and copied the pending list: a
 * recomputation was quadratic in the line's events); a property test holds the result equal to
 * the fold one command and one `evolve` at a time.
 */
export function computeTimeline(lineId: string, events: readonly LineEvent[], now: Date, policy: DormancyPolicy): LineTimeline {
  const decider = lineStateDecider(lineId, policy);
  const recorded: LineTimeline = {
    ...decider.initialState(),
    pending: inEventTimeOrder(events.filter((event) => event.lineId === lineId)),
  };
  return evolveAll(recorded, decider.decide({ type: 'Tick', now }, recorded));
}

/**
 * The change of the CURRENT state from `before` (null: never computed) to `after`, or null when
 * the current state is the same — even if a late report rewrote the history behind it.
 *
 * `late` is true when the new current state began (in event time) strictly before `before`'s
 * horizon — the latest instant its history was already settled to: its latest event, or the start
 * of its current period (a dormancy already swept in), whichever is later. So a report about the
 * past, not the newest news, moved the line: a raid older than the last known sighting, or a
 * sighting dated before a dormancy already shown. Measured against `before`, not against
 * `after`'s newest event, so events delivered together in one batch are not late among
 * themselves; an event that merely arrives after a delay but is newer than everything known is
 * not late. Never late when `before` is null or had no history.
 */
export function currentStateChange(before: LineTimeline | null, after: LineTimeline): StateChange | null {
  if (before === null || before.state === null) return currentStateChangeFrom(null, after);
  const latest = before.evidence.at(-1)?.event.occurredAt ?? null;
  return currentStateChangeFrom({ state: before.state, since: before.periods.at(-1)?.from ?? null, latestEventAt: latest }, after);
}

/** What was last said about a line: its current state, since when, and the newest event it knew. */
export interface ToldState {
  readonly state: LineState;
  readonly since: Date | null;
  readonly latestEventAt: Date | null;
}

/**
 * `currentStateChange` measured against what was last told (the stored current state) rather than
 * a recomputed timeline: what the tracker and the dormancy sweep use, so that a change is raised
 * once against what people were actually shown, whatever the clock did in between. The horizon
 * for `late` is the later of `since` and `latestEventAt`.
 */
export function currentStateChangeFrom(told: ToldState | null, after: LineTimeline): StateChange | null {
  const from = told?.state ?? null;
  const current = after.periods.at(-1);
  if (after.state === null || current === undefined) return null;
  const kind = transitionKind(from, after.state);
  if (kind === null) return null;
  const instants = [told?.since, told?.latestEventAt].filter((d): d is Date => d instanceof Date);
  const settled = instants.length === 0 ? null : Math.max(...instants.map((d) => d.getTime()));
  return {
    lineId: after.lineId,
    from,
    to: after.state,
    kind,
    at: current.from,
    cause: current.cause,
    ...(current.closureType === undefined ? {} : { closureType: current.closureType }),
    late: settled !== null && current.from.getTime() < settled,
  };
}

/**
 * When the sweep must look at this line next: the instant an active line goes dormant if nothing
 * else happens, or the first pending event's, whichever is earlier; null when neither (the line
 * is not active and nothing is pending).
 */
export function nextDormancyAt(timeline: LineTimeline, policy: DormancyPolicy): Date | null {
  const dormancy = timeline.state === 'active' ? dormancyInstant(timeline, policy) : null;
  const pending = timeline.pending[0]?.occurredAt ?? null;
  if (dormancy === null) return pending;
  if (pending === null) return dormancy;
  return dormancy.getTime() <= pending.getTime() ? dormancy : pending;
}

/**
 * The timeline as the tracker keeps it between batches: all but the evidence before the last
 * applied event. What later events need is the last one (to check they sort after it); the
 * database keeps every event, and is the arbiter of "seen before" (`eventId`), so the decider's
 * own redelivery check does not need the older evidence either.
 */
export function compactTimeline(timeline: LineTimeline): LineTimeline {
  return timeline.evidence.length <= 1 ? timeline : { ...timeline, evidence: timeline.evidence.slice(-1) };
}

/**
 * Applies events NOT seen before (the caller guarantees it) to a kept timeline, then moves its
 * clock to `now`: the fast path for news that is newer than everything applied. Returns
 * `'recompute'` when one of them sorts before what was already applied (a late report): the
 * caller then recomputes from the whole set with `computeTimeline`. Otherwise the result equals
 * `computeTimeline` over all the events (evidence aside: it holds what the kept one held plus the
 * fresh events) — the property tests hold it to that.
 */
/** The clock to bring a kept timeline to: `now`, or the line's own clock when that is later (it never goes back). */
export function lineClock(kept: LineTimeline | null, now: Date): Date {
  const asOf = kept?.asOf ?? null;
  return asOf !== null && asOf > now ? asOf : now;
}

export function advanceTimeline(
  kept: LineTimeline,
  fresh: readonly LineEvent[],
  now: Date,
  policy: DormancyPolicy,
): LineTimeline | 'recompute' {
  const decider = lineStateDecider(kept.lineId, policy);
  const run = (state: LineTimeline, command: LineCommand): LineTimeline => evolveAll(state, decider.decide(command, state));
  const ordered = inEventTimeOrder(fresh.filter((event) => event.lineId === kept.lineId));
  try {
    const recorded = ordered.reduce((state, event) => run(state, { type: 'RecordEvidence', event }), withoutClockDormancy(kept, ordered));
    // The clock never goes back: a caller whose `now` is behind the line's (another process swept
    // it later) still sweeps in what is due by the line's clock — the dormancy taken back above,
    // or one a late sighting moved.
    return run(recorded, { type: 'Tick', now: lineClock(kept, now) });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'out_of_order') return 'recompute';
    throw error;
  }
}

/**
 * A dormancy the clock swept in (no event caused it, no evidence after it) is not history an
 * event wrote: it only says "no sighting came in W". A fresh event dated at or before it, and
 * after every event applied, lands in the active stretch before it — so take the dormancy back
 * and apply the event; the Tick that follows sweeps in whatever dormancy is then due. Without
 * this, a records system's backlog (oldest first, each slice months before the clock) would
 * recompute every line from all its events in every slice.
 */
function withoutClockDormancy(kept: LineTimeline, ordered: readonly LineEvent[]): LineTimeline {
  const current = kept.periods.at(-1);
  const previous = kept.periods.at(-2);
  const first = ordered[0];
  if (current === undefined || previous === undefined || first === undefined) return kept;
  if (current.state !== 'dormant' || current.cause.eventId !== null || previous.state !== 'active') return kept;
  const lastApplied = kept.evidence.at(-1)?.event.occurredAt;
  if (lastApplied !== undefined && lastApplied.getTime() > current.from.getTime()) return kept;
  if (first.occurredAt.getTime() > current.from.getTime()) return kept;
  return { ...kept, state: 'active', periods: [...kept.periods.slice(0, -2), { ...previous, to: null }] };
}
