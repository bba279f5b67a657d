import { resolutionOf, type IntelEventV1, type LineResolution } from '@linewatch/contracts';
import { managerOf, type Queryable } from './database';

/** One line an event went to, as it stands now. */
export interface StandingLine {
  /** The line as the event names it (in its resolution). */
  readonly namedAs: string;
  /** Where that id resolves now (a merged line's survivor; itself otherwise). */
  readonly lineId: string;
  readonly how: LineResolution['how'];
  readonly conflictWith?: string;
  /** The line's current state, or null while the tracker has no timeline for it. */
  readonly state: string | null;
  /** The tracker keeps a timeline for it. */
  readonly tracked: boolean;
}

export interface EventStanding {
  /** When ingest had Kafka's acknowledgement (null: not through ingest, or unknown). */
  readonly receivedAt: Date | null;
  /** The stored event (null until the tracker stored it, and again once erased). */
  readonly stored: IntelEventV1 | null;
  /** When the event was erased (a line's disposal or retention; its id stays as a tombstone), else null. */
  readonly erasedAt: Date | null;
  readonly lines: readonly StandingLine[];
}

/**
 * Where one event stands (`GET /v1/events/{id}`): its intake receipt, the stored event, and each of
 * its lines as it resolves now with whether the tracker keeps a timeline for it. Two statements.
 * Null when nothing knows the eventId.
 */
export class EventStandingRepository {
  async standingOf(q: Queryable, eventId: string): Promise<EventStanding | null> {
    const [row]: {
      received: boolean;
      accepted_at: Date | null;
      receipt_lines: LineResolution[] | null;
      payload: IntelEventV1 | null;
      erased_at: Date | null;
    }[] = await managerOf(q).query(
      `SELECT r.event_id IS NOT NULL AS received, r.accepted_at, r.lines AS receipt_lines, e.payload, k.erased_at
         FROM (SELECT $1::uuid AS event_id) x
         LEFT JOIN intake_receipts r ON r.event_id = x.event_id
         LEFT JOIN intel_event_ids k ON k.event_id = x.event_id
         LEFT JOIN intel_events e ON e.event_id = k.event_id AND e.occurred_at = k.occurred_at`,
      [eventId],
    );
    if (!row.received && row.payload === null && row.erased_at === null) return null;
    const resolutions = row.payload !== null ? resolutionOf(row.payload) : (row.receipt_lines ?? []);
    const lines: { line_id: string; root_id: string; state: string | null; tracked: boolean }[] =
      resolutions.length === 0
        ? []
        : await managerOf(q).query(
            `SELECT u.line_id, COALESCE(a.root_id, u.line_id) AS root_id, l.state, l.line_id IS NOT NULL AS tracked
             FROM unnest($1::text[]) AS u(line_id)
             LEFT JOIN line_aliases a ON a.alias_id = u.line_id
             LEFT JOIN lines l ON l.line_id = COALESCE(a.root_id, u.line_id)`,
            [resolutions.map((r) => r.lineId)],
          );
    const byId = new Map(lines.map((l) => [l.line_id, l]));
    const rootOf = (lineId: string) => byId.get(lineId)?.root_id ?? lineId;
    return {
      receivedAt: row.accepted_at,
      stored: row.payload,
      erasedAt: row.erased_at,
      lines: resolutions.map((resolution) => {
        const line = byId.get(resolution.lineId);
        return {
          namedAs: resolution.lineId,
          lineId: rootOf(resolution.lineId),
          how: resolution.how,
          ...(resolution.conflictWith === undefined ? {} : { conflictWith: resolution.conflictWith }),
          state: line?.state ?? null,
          tracked: line?.tracked ?? false,
        };
      }),
    };
  }
}
