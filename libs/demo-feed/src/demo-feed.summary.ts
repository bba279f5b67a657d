/** Counts over a feed, for the CLI to print what it generated or sent. */
import { INTEL_EVENT_TYPES, LINE_LINK_TYPES, type IntelEventType, type LineLinkType } from '@linewatch/contracts';
import { isByNumber, isLateReport, isLinkDecision, type DemoFeedEvent } from './demo-feed.generator';

export interface DemoFeedSummary {
  /** Reports and decisions. */
  readonly events: number;
  /** Distinct lines named by id by any event (`lineId`, `lineIds`, a merge's `into`). */
  readonly lines: number;
  /** Events reported a day or more after they happened (yielded out of `occurredAt` order). */
  readonly late: number;
  /** Reports by type, every type, zero included, so the output always has the same shape. */
  readonly byType: Readonly<Record<IntelEventType, number>>;
  /** Reports naming their line by number only (intake resolves them). */
  readonly byNumber: number;
  /** Analysts' link decisions by type, every type. */
  readonly decisions: Readonly<Record<LineLinkType, number>>;
  readonly byArea: Readonly<Record<string, number>>;
  readonly firstOccurredAt?: string;
  readonly lastOccurredAt?: string;
}

/** Consumes `events` once; works on any iterable, the generator included. */
export function summariseFeed(events: Iterable<DemoFeedEvent>): DemoFeedSummary {
  const byType = Object.fromEntries(INTEL_EVENT_TYPES.map((type) => [type, 0])) as Record<IntelEventType, number>;
  const decisions = Object.fromEntries(LINE_LINK_TYPES.map((type) => [type, 0])) as Record<LineLinkType, number>;
  const byArea = new Map<string, number>();
  const lines = new Set<string>();
  let count = 0;
  let late = 0;
  let byNumber = 0;
  let first: { at: number; text: string } | undefined;
  let last: { at: number; text: string } | undefined;
  for (const event of events) {
    count += 1;
    if (isLinkDecision(event)) {
      decisions[event.type] += 1;
      lines.add(event.lineId);
      if (event.type === 'line.merged') lines.add((event.body as { into: string }).into);
    } else {
      byType[event.type] += 1;
      if (isByNumber(event)) byNumber += 1;
      if ('lineId' in event && event.lineId !== undefined) lines.add(event.lineId);
      if ('lineIds' in event) for (const id of event.lineIds ?? []) lines.add(id);
    }
    byArea.set(event.area, (byArea.get(event.area) ?? 0) + 1);
    if (isLateReport(event)) late += 1;
    // Compared as instants: other feeds may write the same time with different offsets.
    const at = Date.parse(event.occurredAt);
    if (first === undefined || at < first.at) first = { at, text: event.occurredAt };
    if (last === undefined || at > last.at) last = { at, text: event.occurredAt };
  }
  return {
    events: count,
    lines: lines.size,
    late,
    byType,
    byNumber,
    decisions,
    byArea: Object.fromEntries([...byArea].sort(([a], [b]) => a.localeCompare(b))),
    ...(first !== undefined ? { firstOccurredAt: first.text } : {}),
    ...(last !== undefined ? { lastOccurredAt: last.text } : {}),
  };
}
