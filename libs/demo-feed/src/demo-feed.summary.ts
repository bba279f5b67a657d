/** Counts over a feed, for the CLI to print what it generated or sent. */
import { INTEL_EVENT_TYPES, type IntelEventInput, type IntelEventType } from '@linewatch/contracts';
import { isLateReport } from './demo-feed.generator';

export interface DemoFeedSummary {
  readonly events: number;
  /** Distinct lines named by any event (`lineId` or `lineIds`). */
  readonly lines: number;
  /** Events reported a day or more after they happened (yielded out of `occurredAt` order). */
  readonly late: number;
  /** Every type, zero included, so the output always has the same shape. */
  readonly byType: Readonly<Record<IntelEventType, number>>;
  readonly byArea: Readonly<Record<string, number>>;
  readonly firstOccurredAt?: string;
  readonly lastOccurredAt?: string;
}

/** Consumes `events` once; works on any iterable, the generator included. */
export function summariseFeed(events: Iterable<IntelEventInput>): DemoFeedSummary {
  const byType = Object.fromEntries(INTEL_EVENT_TYPES.map((type) => [type, 0])) as Record<IntelEventType, number>;
  const byArea = new Map<string, number>();
  const lines = new Set<string>();
  let count = 0;
  let late = 0;
  let first: { at: number; text: string } | undefined;
  let last: { at: number; text: string } | undefined;
  for (const event of events) {
    count += 1;
    byType[event.type] += 1;
    byArea.set(event.area, (byArea.get(event.area) ?? 0) + 1);
    if ('lineId' in event) lines.add(event.lineId);
    if ('lineIds' in event) for (const id of event.lineIds ?? []) lines.add(id);
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
    byArea: Object.fromEntries([...byArea].sort(([a], [b]) => a.localeCompare(b))),
    ...(first !== undefined ? { firstOccurredAt: first.text } : {}),
    ...(last !== undefined ? { lastOccurredAt: last.text } : {}),
  };
}
