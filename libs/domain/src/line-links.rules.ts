/**
 * Links between lines as analysts decide them (PRODUCT.md, "Links"): merge line B into line A (A
 * survives; B's id becomes an alias resolving to A; B's events and identifiers are A's), unmerge
 * (undo one merge exactly), attach a number or handset to a line from an instant. The link state
 * is a pure function of the SET of decisions, applied in event time; `decideLink` answers one new
 * decision against a state (what the api checks before publishing, with the codes it maps to 409/404).
 */
import type { LineLinkV1 } from '@linewatch/contracts';
import type { LineIdentifier } from './identifier.normalise';
import { ATTACHMENT_RANK, type IdentityFact } from './line-identity.facts';

export type LinkDecision =
  | { readonly type: 'merge'; readonly eventId: string; readonly at: Date; readonly lineId: string; readonly into: string }
  | { readonly type: 'unmerge'; readonly eventId: string; readonly at: Date; readonly lineId: string; readonly mergeEventId: string }
  | { readonly type: 'attach'; readonly eventId: string; readonly at: Date; readonly lineId: string; readonly identifier: LineIdentifier };

/** A merge as applied: `lineId` (B) into `into` (A); `unmergedBy` once undone. */
export interface Merge {
  readonly eventId: string;
  readonly lineId: string;
  readonly into: string;
  readonly at: Date;
  readonly unmergedBy: string | null;
}

export interface LinkState {
  /** Every merge applied, in event-time order, undone ones included (an unmerge names one). */
  readonly merges: readonly Merge[];
  /** The attachments applied, in event-time order. */
  readonly attachments: readonly Extract<LinkDecision, { type: 'attach' }>[];
  /** Every decision applied (its eventId): a redelivered decision changes nothing. */
  readonly applied: readonly string[];
}

export type LinkErrorCode =
  /** A line merged into itself. */
  | 'merge_into_itself'
  /** B into A where A already resolves to B (A is B's alias, directly or along a chain): it would make a cycle. */
  | 'merge_into_own_alias'
  /** B is already merged (into A or any line): unmerge it first. */
  | 'already_merged'
  /** The unmerge names no merge of that line. */
  | 'merge_not_found'
  /** The merge it names was already undone. */
  | 'already_unmerged'
  /** The unmerge is dated before the merge it undoes. */
  | 'unmerge_before_merge';

/** How an adapter answers each code: a conflict with the current links (HTTP 409) or nothing to act on (404). */
export const LINK_ERROR_KINDS: Record<LinkErrorCode, 'conflict' | 'not_found'> = {
  merge_into_itself: 'conflict',
  merge_into_own_alias: 'conflict',
  already_merged: 'conflict',
  merge_not_found: 'not_found',
  already_unmerged: 'conflict',
  unmerge_before_merge: 'conflict',
};

export type LinkOutcome =
  { readonly ok: true; readonly state: LinkState } | { readonly ok: false; readonly code: LinkErrorCode; readonly message: string };

export const EMPTY_LINK_STATE: LinkState = { merges: [], attachments: [], applied: [] };

/** The decision a (validated) link event records. */
export function linkDecisionOf(event: LineLinkV1): LinkDecision {
  const base = { eventId: event.eventId, at: new Date(event.occurredAt), lineId: event.lineId };
  switch (event.type) {
    case 'line.merged':
      return { ...base, type: 'merge', into: event.body.into };
    case 'line.unmerged':
      return { ...base, type: 'unmerge', mergeEventId: event.body.mergeEventId };
    case 'line.identifier_attached': {
      const { msisdn, imei } = event.body;
      const identifier: LineIdentifier = msisdn !== undefined ? { kind: 'msisdn', value: msisdn } : { kind: 'imei', value: imei ?? '' };
      return { ...base, type: 'attach', identifier };
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The line B was merged into, while merged (one step of the chain), else null. */
export function parentOf(state: LinkState, lineId: string): string | null {
  return state.merges.find((merge) => merge.lineId === lineId && merge.unmergedBy === null)?.into ?? null;
}

/** The line an id resolves to: itself, or the end of its chain of merges (A ← B ← C: C resolves to A). */
export function rootOf(state: LinkState, lineId: string): string {
  let current = lineId;
  // Cycles are refused when decided; the bound only guards against a state built by hand.
  for (let steps = 0; steps <= state.merges.length; steps++) {
    const parent = parentOf(state, current);
    if (parent === null) return current;
    current = parent;
  }
  throw new TypeError(`the merges of ${lineId} form a cycle`);
}

/** Every id that resolves to `root` other than itself (its aliases, along chains too), sorted. */
export function aliasesOf(state: LinkState, root: string): string[] {
  const lines = new Set(state.merges.flatMap((merge) => [merge.lineId, merge.into]));
  return [...lines].filter((lineId) => lineId !== root && rootOf(state, lineId) === root).sort();
}

/** Events (or identity facts) with each line id resolved to its root: what the survivor's timeline and identity are computed from. */
export function retargeted<E extends { readonly lineId: string }>(state: LinkState, events: readonly E[]): E[] {
  return events.map((event) => {
    const root = rootOf(state, event.lineId);
    return root === event.lineId ? event : { ...event, lineId: root };
  });
}

/** One decision against a state: the new state, or why it is refused. A decision already applied changes nothing. */
export function decideLink(state: LinkState, decision: LinkDecision): LinkOutcome {
  if (state.applied.includes(decision.eventId)) return { ok: true, state };
  const applied = [...state.applied, decision.eventId];
  switch (decision.type) {
    case 'merge': {
      const { lineId, into } = decision;
      if (lineId === into) return refuse('merge_into_itself', `line ${lineId} cannot be merged into itself`);
      const parent = parentOf(state, lineId);
      if (parent !== null) return refuse('already_merged', `line ${lineId} is already merged into ${parent}: unmerge it first`);
      if (rootOf(state, into) === lineId)
        return refuse('merge_into_own_alias', `line ${into} is an alias of ${lineId}: merging would make a cycle`);
      const merge: Merge = { eventId: decision.eventId, lineId, into, at: decision.at, unmergedBy: null };
      return { ok: true, state: { ...state, merges: [...state.merges, merge], applied } };
    }
    case 'unmerge': {
      const merge = state.merges.find((m) => m.eventId === decision.mergeEventId && m.lineId === decision.lineId);
      if (merge === undefined) return refuse('merge_not_found', `no merge ${decision.mergeEventId} of line ${decision.lineId}`);
      if (merge.unmergedBy !== null) return refuse('already_unmerged', `merge ${merge.eventId} was undone by ${merge.unmergedBy}`);
      if (decision.at.getTime() < merge.at.getTime())
        return refuse('unmerge_before_merge', `the unmerge is dated before merge ${merge.eventId}`);
      const merges = state.merges.map((m) => (m === merge ? { ...m, unmergedBy: decision.eventId } : m));
      return { ok: true, state: { ...state, merges, applied } };
    }
    case 'attach':
      return { ok: true, state: { ...state, attachments: [...state.attachments, decision], applied } };
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}

function refuse(code: LinkErrorCode, message: string): LinkOutcome {
  return { ok: false, code, message };
}

/** Order of decisions: event time, then eventId (one decision per eventId; the first in this order wins). */
export function compareLinkDecisions(a: LinkDecision, b: LinkDecision): number {
  return a.at.getTime() - b.at.getTime() || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/**
 * The link state from the SET of decisions (any arrival order, any redelivery), applied in event
 * time. A decision refused at its place in that order (e.g. a late merge dated before one it now
 * contradicts) is listed in `refused` with its code and has no effect.
 */
export function linkStateOf(decisions: readonly LinkDecision[]): {
  readonly state: LinkState;
  readonly refused: readonly { readonly decision: LinkDecision; readonly code: LinkErrorCode }[];
} {
  const byId = new Map<string, LinkDecision>();
  const canonical = (decision: LinkDecision) => JSON.stringify(decision);
  const ordered = [...decisions].sort(
    (a, b) => compareLinkDecisions(a, b) || (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0),
  );
  for (const decision of ordered) if (!byId.has(decision.eventId)) byId.set(decision.eventId, decision);
  let state = EMPTY_LINK_STATE;
  const refused: { decision: LinkDecision; code: LinkErrorCode }[] = [];
  for (const decision of byId.values()) {
    const outcome = decideLink(state, decision);
    if (outcome.ok) state = outcome.state;
    else refused.push({ decision, code: outcome.code });
  }
  return { state, refused };
}

/** The attachments of a link state as identity facts (each attaches its identifier to its line from its instant). */
export function attachmentFacts(state: LinkState): IdentityFact[] {
  return state.attachments.map((attachment) => ({
    eventId: attachment.eventId,
    lineId: attachment.lineId,
    occurredAt: attachment.at,
    rank: ATTACHMENT_RANK,
    attaches: [attachment.identifier],
    ends: [],
    endsOpen: [],
    brands: [],
  }));
}
