/**
 * A line's timeline: the periods it spent in each state, in event time, with the evidence that
 * built it. It is also the decider's state (`line-state.decider.ts`), and what the tracker stores.
 */
import type { LineEvent } from './line-event.model';
import type { LineState, TransitionKind } from './line-state';

/** Home Office closure types: 1 holder arrested and charged, 2 number/SIM deactivated. */
export type ClosureType = 1 | 2;

/** What started a period: the event (null for dormancy, which no event causes) and the name of the change. */
export interface TransitionCause {
  readonly eventId: string | null;
  readonly kind: TransitionKind;
}

/**
 * One stretch in one state, `[from, to)`; `to` is null for the current period. Two events that
 * change state at the same instant leave a zero-length period between them (both changes happened).
 */
export interface StatePeriod {
  readonly state: LineState;
  readonly from: Date;
  readonly to: Date | null;
  readonly cause: TransitionCause;
  /** Only on `closed` periods: the closure type the assessment that closed the line recorded. */
  readonly closureType?: ClosureType;
}

/** What an event did to the line when applied in event time. */
export type EvidenceEffect =
  | { readonly kind: 'changed_state'; readonly transition: TransitionKind }
  /** Applied, state unchanged: a sighting of an active line (restarts its dormancy clock), a referral, a window, enforcement of a closed line. */
  | { readonly kind: 'no_state_change' }
  /** Graded `E` (suspected false): kept as evidence, no effect at all (see `hasNoEffect`). */
  | { readonly kind: 'graded_e_ignored' };

export interface EvidenceEntry {
  readonly event: LineEvent;
  readonly effect: EvidenceEffect;
}

/** A line's own dormancy window, set by an analyst (`line.assessed` / `dormancy_override`), in force from `from` on. */
export interface DormancyOverride {
  readonly eventId: string;
  readonly from: Date;
  readonly days: number;
}

export interface LineTimeline {
  readonly lineId: string;
  /** The current state; null while the line has no state (only referrals, windows or `E`-graded reports so far). */
  readonly state: LineState | null;
  /** Contiguous and in order: each `to` is the next `from`; the last `to` is null. */
  readonly periods: readonly StatePeriod[];
  /** The latest sighting, number change or reopen not graded `E`: the start of the dormancy clock. */
  readonly lastSightingAt: Date | null;
  /** The area of that latest sighting: the area whose dormancy window applies. */
  readonly area: string | null;
  /** Every area the line has evidence in (not counting `E`-graded reports that had no effect), sorted. */
  readonly areas: readonly string[];
  /** The line's own window now in force (the latest override), null when none was set. */
  readonly dormancyOverrideDays: number | null;
  /** Every override, in event-time order (each applies from its instant on). */
  readonly dormancyOverrides: readonly DormancyOverride[];
  /** Safeguarding referrals linked to the line (any grading): for alert severity. */
  readonly referrals: number;
  /** Every event of the line applied so far (dated at or before `asOf`), once each, in event-time order, with what it did. */
  readonly evidence: readonly EvidenceEntry[];
  /** Events dated after `asOf` (within the clock skew intake allows): not happened yet; applied when the clock reaches them. */
  readonly pending: readonly LineEvent[];
  /** The line's clock: the `now` it was computed at (the latest Tick); null before any. */
  readonly asOf: Date | null;
}

/** A change of a line's CURRENT state between two computations of its timeline: what raises an alert. */
export interface StateChange {
  readonly lineId: string;
  readonly from: LineState | null;
  readonly to: LineState;
  /** The change as seen by whoever saw the previous current state (`transitionKind(from, to)`). */
  readonly kind: TransitionKind;
  /** When the new current state began, in event time (the start of the current period). */
  readonly at: Date;
  /** The cause of the current period, in event time (its kind may differ from `kind` after a late report). */
  readonly cause: TransitionCause;
  readonly closureType?: ClosureType;
  /** The new current state began before the history the previous computation had settled: a late report changed it. */
  readonly late: boolean;
}
