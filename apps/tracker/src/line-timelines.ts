/**
 * What the batch, the dormancy sweep and the rebuild share: bring locked lines up to date (the
 * fast path from the kept snapshot, or a recomputation from every stored event), write them, and
 * turn changes of the current state into outbox entries. Runs inside the caller's transaction;
 * the lines must be locked by it.
 */
import { randomUUID } from 'node:crypto';
import { STATE_CHANGE_SCHEMA, type IntelEventV1, type StateChangeV1 } from '@linewatch/contracts';
import {
  advanceTimeline,
  areaWindowDays,
  checkBackScheduleOf,
  compactTimeline,
  computeTimeline,
  lineClock,
  currentStateChangeFrom,
  initialState,
  nextDormancyAt,
  pushDecision,
  type DormancyPolicy,
  type LineEvent,
  type LineTimeline,
  type StateChange,
  type StatePeriod,
} from '@linewatch/domain';
import type {
  ClosureCheckBacksRepository,
  EventSummary,
  LineLinksRepository,
  LinesRepository,
  LineWrite,
  OutboxEntry,
  StoredLine,
  Tx,
} from '@linewatch/persistence';

export interface ComputedLine {
  readonly stored: StoredLine;
  readonly timeline: LineTimeline;
  readonly path: 'fast' | 'recompute';
  /** The change of the current state against what was last told; null when the same. */
  readonly change: StateChange | null;
  readonly periodsChanged: boolean;
}

export type ChangeTrigger = StateChangeV1['trigger'];

function toldOf(line: StoredLine) {
  return line.state === null ? null : { state: line.state, since: line.stateSince, latestEventAt: line.latestEventAt };
}

/** Where a Type 1 closure's check-backs are kept, and their offsets (days after the closure; TRACKER_CHECK_BACK_DAYS). */
export interface CheckBackScheduling {
  readonly repository: ClosureCheckBacksRepository;
  readonly offsetsDays: readonly number[];
}

/** The same rows of `line_state_periods` (compared field by field: stringifying both was 2 % of the tracker's CPU). */
export function samePeriods(a: LineTimeline | null, b: LineTimeline): boolean {
  return a !== null && a.periods.length === b.periods.length && a.periods.every((p, i) => samePeriod(p, b.periods[i]));
}

function samePeriod(a: StatePeriod, b: StatePeriod): boolean {
  return (
    a.state === b.state &&
    a.from.getTime() === b.from.getTime() &&
    (a.to?.getTime() ?? null) === (b.to?.getTime() ?? null) &&
    a.cause.kind === b.cause.kind &&
    a.cause.eventId === b.cause.eventId &&
    (a.closureType ?? null) === (b.closureType ?? null)
  );
}

export class LineTimelines {
  constructor(
    private readonly lines: LinesRepository,
    private readonly policy: DormancyPolicy,
    private readonly links: LineLinksRepository,
    private readonly checkBacks: CheckBackScheduling,
  ) {}

  /**
   * Brings each locked line up to `now` with its fresh events (events not stored before this
   * transaction). A line without a usable snapshot, or with a fresh event that sorts before what
   * it already applied (a late report), is recomputed from all its stored events.
   */
  async advance(
    tx: Tx,
    locked: ReadonlyMap<string, StoredLine>,
    fresh: ReadonlyMap<string, readonly LineEvent[]>,
    now: Date,
  ): Promise<ComputedLine[]> {
    const fast = new Map<string, LineTimeline>();
    const again: string[] = [];
    // The clock never goes back: `now` was read before the lines were locked, and another process
    // (a sweep, a second tracker) may have moved a line's clock past it meanwhile.
    const clocks = new Map<string, Date>();
    for (const [lineId, stored] of locked) {
      clocks.set(lineId, lineClock(stored.snapshot, now));
      const advanced = stored.snapshot === null ? 'recompute' : advanceTimeline(stored.snapshot, fresh.get(lineId) ?? [], now, this.policy);
      if (advanced === 'recompute') again.push(lineId);
      else fast.set(lineId, advanced);
    }
    const recomputed = await this.recompute(tx, again, now, clocks);
    return [...locked.values()].map((stored) => {
      const timeline = compactTimeline(fast.get(stored.lineId) ?? recomputed.get(stored.lineId) ?? initialState(stored.lineId));
      return {
        stored,
        timeline,
        path: fast.has(stored.lineId) ? 'fast' : 'recompute',
        change: currentStateChangeFrom(toldOf(stored), timeline),
        periodsChanged: !samePeriods(stored.snapshot, timeline),
      };
    });
  }

  /** Locked lines with their recomputed timelines, rewriting every line's periods (a rebuild). */
  fromScratch(locked: ReadonlyMap<string, StoredLine>, recomputed: ReadonlyMap<string, LineTimeline>): ComputedLine[] {
    return [...locked.values()].map((stored) => {
      const timeline = compactTimeline(recomputed.get(stored.lineId) ?? initialState(stored.lineId));
      return { stored, timeline, path: 'recompute', change: currentStateChangeFrom(toldOf(stored), timeline), periodsChanged: true };
    });
  }

  /**
   * Each (root) line's timeline from every stored event naming it or one of its aliases (the
   * database is the set of events; a merged line's events are its survivor's, read as the root's).
   */
  async recompute(
    tx: Tx,
    lineIds: readonly string[],
    now: Date,
    clocks: ReadonlyMap<string, Date> = new Map(),
  ): Promise<Map<string, LineTimeline>> {
    const out = new Map<string, LineTimeline>();
    if (lineIds.length === 0) return out;
    const rootOf = new Map<string, string>();
    for (const [root, members] of await this.links.membersOf(tx, lineIds)) for (const member of members) rootOf.set(member, root);
    const byLine = new Map<string, LineEvent[]>();
    for (const lineEvent of await this.lines.lineEventsOf(tx, [...rootOf.keys()])) {
      const root = rootOf.get(lineEvent.lineId) ?? lineEvent.lineId;
      const list = byLine.get(root) ?? [];
      list.push(root === lineEvent.lineId ? lineEvent : { ...lineEvent, lineId: root });
      byLine.set(root, list);
    }
    for (const lineId of lineIds)
      out.set(lineId, computeTimeline(lineId, byLine.get(lineId) ?? [], clocks.get(lineId) ?? now, this.policy));
    return out;
  }

  /**
   * Writes the lines (state, snapshot, next check, and the periods where they changed), and the
   * closure check-backs of the lines that are or were closed: the schedule is derived from the
   * timeline as saved (`checkBackScheduleOf`), so it follows a closure rewritten by a late event
   * and is cancelled when the line leaves the closed state. Lines neither closed now nor before
   * cannot have check-backs scheduled: they cost nothing here.
   */
  async save(tx: Tx, computed: readonly ComputedLine[]): Promise<void> {
    await this.lines.save(
      tx,
      computed.map((c): LineWrite => ({
        timeline: c.timeline,
        latestEventAt: c.timeline.evidence.at(-1)?.event.occurredAt ?? null,
        nextCheckAt: nextDormancyAt(c.timeline, this.policy),
        periodsChanged: c.periodsChanged,
      })),
    );
    const closedNowOrBefore = computed.filter((c) => c.timeline.state === 'closed' || c.stored.state === 'closed');
    await this.checkBacks.repository.sync(
      tx,
      closedNowOrBefore.map((c) => ({ lineId: c.timeline.lineId, schedule: checkBackScheduleOf(c.timeline, this.checkBacks.offsetsDays) })),
      this.checkBacks.offsetsDays,
    );
  }

  /**
   * The outbox entries for the changes of the current state. The cause's type and grading come
   * from the events at hand, else from the database (a recomputation's cause may be older).
   * `historyOnly` names the lines whose every new event came from a history import; with the
   * first-record rule (`pushDecision`), it decides whether a change is pushed.
   */
  async changesOf(
    tx: Tx,
    computed: readonly ComputedLine[],
    atHand: readonly IntelEventV1[],
    trigger: ChangeTrigger,
    now: Date,
    historyOnly: ReadonlySet<string> = new Set(),
  ): Promise<OutboxEntry[]> {
    const changes = computed.flatMap((c) => (c.change === null ? [] : [{ change: c.change, timeline: c.timeline }]));
    if (changes.length === 0) return [];
    const known = new Map<string, EventSummary>(atHand.map((e) => [e.eventId, { eventId: e.eventId, type: e.type, grading: e.grading }]));
    const missing = changes.map(({ change }) => change.cause.eventId).filter((id): id is string => id !== null && !known.has(id));
    for (const [id, summary] of await this.lines.summaries(tx, missing)) known.set(id, summary);
    return changes.map(({ change, timeline }) => {
      const cause = change.cause.eventId === null ? undefined : known.get(change.cause.eventId);
      const push = pushDecision({
        from: change.from,
        to: change.to,
        historyOnly: historyOnly.has(change.lineId),
        newestEvidenceAt: timeline.evidence.at(-1)?.event.occurredAt ?? null,
        windowDays: areaWindowDays(this.policy, timeline.area),
        now,
      });
      const payload: StateChangeV1 = {
        schema: STATE_CHANGE_SCHEMA,
        changeId: randomUUID(),
        lineId: change.lineId,
        from: change.from,
        to: change.to,
        kind: change.kind,
        at: change.at.toISOString(),
        late: change.late,
        cause: {
          eventId: change.cause.eventId,
          kind: change.cause.kind,
          type: cause?.type ?? null,
          grading: cause
            ? { source: cause.grading.source, intelligence: cause.grading.intelligence, handling: cause.grading.handling }
            : null,
        },
        ...(change.closureType === undefined ? {} : { closureType: change.closureType }),
        area: timeline.area,
        areas: [...timeline.areas],
        referrals: timeline.referrals,
        trigger,
        detectedAt: now.toISOString(),
        ...(push.pushed ? { pushed: true } : { pushed: false, heldReason: push.heldReason }),
      };
      return { changeId: payload.changeId, lineId: payload.lineId, payload };
    });
  }
}
