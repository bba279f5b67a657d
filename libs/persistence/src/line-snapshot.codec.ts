/**
 * The tracker's kept decider state (`lines.snapshot`) as JSON and back. Versioned: a snapshot
 * of another version is not trusted, and the tracker recomputes the line from its events.
 */
import type { EvidenceEntry, LineEvent, LineTimeline, StatePeriod } from '@linewatch/domain';

export const SNAPSHOT_VERSION = 1;

export interface EncodedSnapshot {
  readonly v: number;
  readonly timeline: unknown;
}

/** The snapshot as a value to embed in a JSON document (dates become ISO strings when it is stringified). */
export function snapshotDocument(timeline: LineTimeline): EncodedSnapshot {
  return { v: SNAPSHOT_VERSION, timeline };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- parsing our own JSON back into Dates */
const date = (value: any): Date => new Date(value as string);
const maybeDate = (value: any): Date | null => (value === null || value === undefined ? null : date(value));
const event = (raw: any): LineEvent => ({ ...raw, occurredAt: date(raw.occurredAt) });

/** Null when there is none or it is of another version (recompute from the events). */
export function decodeSnapshot(raw: unknown): LineTimeline | null {
  if (raw === null || raw === undefined) return null;
  const encoded = (typeof raw === 'string' ? JSON.parse(raw) : raw) as EncodedSnapshot;
  if (encoded.v !== SNAPSHOT_VERSION) return null;
  const t = encoded.timeline as any;
  return {
    ...t,
    periods: (t.periods as any[]).map((p): StatePeriod => ({ ...p, from: date(p.from), to: maybeDate(p.to) })),
    lastSightingAt: maybeDate(t.lastSightingAt),
    dormancyOverrides: (t.dormancyOverrides as any[]).map((o) => ({ ...o, from: date(o.from) })),
    evidence: (t.evidence as any[]).map((e): EvidenceEntry => ({ ...e, event: event(e.event) })),
    pending: (t.pending as any[]).map(event),
    asOf: maybeDate(t.asOf),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
