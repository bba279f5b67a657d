import type { IntelEventV1, LineResolution } from '@linewatch/contracts';
import { linesOf, resolutionOf } from '@linewatch/contracts';
import { managerOf, type Queryable } from './database';
import { eventsOfLineHalves } from './events-of-line.sql';

/** What ingest remembers of an event Kafka acknowledged: the lines it went to and how (as published). */
export interface IntakeReceipt {
  readonly eventId: string;
  readonly lines: readonly LineResolution[];
}

export interface IntelEventRecord {
  readonly event: IntelEventV1;
  readonly kafkaPartition: number | null;
  readonly kafkaOffset: string | null;
  /** Accepted as part of a history import (its changes are not pushed); false when left out. */
  readonly history?: boolean;
}

/** Rows per statement: keeps each protocol message small (the embedded database prefers it). */
const CHUNK = 200;
const RECEIPT_CHUNK = 1000;

/**
 * Raw events, stored idempotently: an eventId already in `intel_event_ids`
 * is a duplicate, whenever it was first seen. Runs inside the caller's
 * transaction (the batch's unit of work).
 */
export class IntelEventsRepository {
  /** Returns the eventIds newly stored; the others were duplicates. */
  async store(q: Queryable, records: readonly IntelEventRecord[]): Promise<Set<string>> {
    const unique = new Map<string, IntelEventRecord>();
    for (const record of records) if (!unique.has(record.event.eventId)) unique.set(record.event.eventId, record);
    const stored = new Set<string>();
    const all = [...unique.values()];
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK);
      // The chunk as one JSON document, read by jsonb_to_recordset: one JSON.stringify instead of
      // node-postgres escaping every payload, grading and source string into array literals (which
      // was the tracker's biggest cost after validation); the line ids' JSON array is read straight
      // into the text[] column, not by a subquery a row. The idempotency key comes first, so a
      // failure is logged as this statement's first words: `WITH fresh AS ( INSERT INTO intel_event_ids`.
      const rows: { event_id: string }[] = await managerOf(q).query(
        `WITH fresh AS (
           INSERT INTO intel_event_ids (event_id, occurred_at)
           SELECT event_id, occurred_at FROM jsonb_to_recordset($1::jsonb) AS u(event_id uuid, occurred_at timestamptz)
           ON CONFLICT (event_id) DO NOTHING
           RETURNING event_id
         )
         INSERT INTO intel_events
           (event_id, occurred_at, reported_at, type, area, line_ids, grading, source, payload, kafka_partition, kafka_offset, history)
         SELECT u.event_id, u.occurred_at, u.reported_at, u.type, u.area,
                u.line_ids, u.grading, u.source, u.payload, u.kafka_partition, u.kafka_offset,
                u.history
         FROM jsonb_to_recordset($1::jsonb)
                AS u(event_id uuid, occurred_at timestamptz, reported_at timestamptz, type text, area text, line_ids text[],
                     grading jsonb, source jsonb, payload jsonb, kafka_partition integer, kafka_offset bigint, history boolean)
         JOIN fresh USING (event_id)
         RETURNING event_id`,
        [
          JSON.stringify(
            chunk.map((r) => ({
              event_id: r.event.eventId,
              occurred_at: r.event.occurredAt,
              reported_at: r.event.reportedAt ?? null,
              type: r.event.type,
              area: r.event.area,
              line_ids: linesOf(r.event),
              grading: r.event.grading,
              source: r.event.source,
              payload: r.event,
              kafka_partition: r.kafkaPartition,
              kafka_offset: r.kafkaOffset,
              history: r.history ?? false,
            })),
          ),
        ],
      );
      for (const row of rows) stored.add(row.event_id);
    }
    return stored;
  }

  /**
   * Which of these eventIds were seen before: stored by the tracker, or
   * accepted by ingest and still on their way (the idempotency record, not a cache).
   */
  async known(q: Queryable, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: { event_id: string }[] = await managerOf(q).query(
      `SELECT event_id FROM intel_event_ids WHERE event_id = ANY($1::uuid[])
       UNION
       SELECT event_id FROM intake_receipts WHERE event_id = ANY($1::uuid[])`,
      [[...eventIds]],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /**
   * `known`, with the lines each event went to as first accepted (its receipt, else the stored
   * event's resolutions — a direct producer's event has no receipt): what a resend is answered
   * with. Null lines: a receipt older than migration 0010 whose event is not stored yet.
   */
  async seenBefore(q: Queryable, eventIds: readonly string[]): Promise<Map<string, readonly LineResolution[] | null>> {
    const seen = new Map<string, readonly LineResolution[] | null>();
    if (eventIds.length === 0) return seen;
    const rows: { event_id: string; lines: LineResolution[] | null }[] = await managerOf(q).query(
      `SELECT event_id, lines FROM intake_receipts WHERE event_id = ANY($1::uuid[])
       UNION ALL
       SELECT event_id, NULL FROM intel_event_ids WHERE event_id = ANY($1::uuid[])`,
      [[...eventIds]],
    );
    for (const r of rows) if (!seen.has(r.event_id) || r.lines !== null) seen.set(r.event_id, r.lines);
    const withoutLines = [...seen].filter(([, lines]) => lines === null).map(([eventId]) => eventId);
    for (const event of await this.payloadsOf(q, withoutLines)) seen.set(event.eventId, resolutionOf(event));
    return seen;
  }

  /** Stored events by id (through `intel_event_ids`, so each probe names its chunk's time). */
  async payloadsOf(q: Queryable, eventIds: readonly string[]): Promise<IntelEventV1[]> {
    if (eventIds.length === 0) return [];
    const rows: { payload: IntelEventV1 }[] = await managerOf(q).query(
      `SELECT e.payload FROM intel_event_ids k JOIN intel_events e ON e.event_id = k.event_id AND e.occurred_at = k.occurred_at
       WHERE k.event_id = ANY($1::uuid[])`,
      [[...eventIds]],
    );
    return rows.map((r) => r.payload);
  }

  /** The areas of a line's events in [since, until] (event time): where it has been operating lately. */
  async areasOfLine(q: Queryable, lineId: string, since: Date, until: Date): Promise<string[]> {
    // Index ranges over the line's events in the window (the GIN on line_ids would fetch all of them).
    const [first, other] = eventsOfLineHalves('$1');
    const rows: { area: string }[] = await managerOf(q).query(
      `SELECT DISTINCT area FROM (
         SELECT area FROM intel_events WHERE ${first} AND occurred_at >= $2 AND occurred_at <= $3
         UNION ALL
         SELECT area FROM intel_events WHERE ${other} AND occurred_at >= $2 AND occurred_at <= $3
       ) recent ORDER BY area`,
      [lineId, since, until],
    );
    return rows.map((r) => r.area);
  }

  /** One stored event (the validated payload), or null. */
  async payloadOf(q: Queryable, eventId: string): Promise<IntelEventV1 | null> {
    const rows: { payload: IntelEventV1 }[] = await managerOf(q).query(`SELECT payload FROM intel_events WHERE event_id = $1 LIMIT 1`, [
      eventId,
    ]);
    return rows[0]?.payload ?? null;
  }

  /** Records that Kafka acknowledged these events (ingest, after the acknowledgement), with the lines each went to. */
  async recordReceipts(q: Queryable, receipts: readonly IntakeReceipt[]): Promise<void> {
    if (receipts.length === 0) return;
    // Two short columns a row: a whole intake chunk (500) is one small statement.
    for (let i = 0; i < receipts.length; i += RECEIPT_CHUNK) {
      const chunk = receipts.slice(i, i + RECEIPT_CHUNK);
      await managerOf(q).query(
        `INSERT INTO intake_receipts (event_id, lines) SELECT * FROM unnest($1::uuid[], $2::jsonb[]) ON CONFLICT (event_id) DO NOTHING`,
        [chunk.map((r) => r.eventId), chunk.map((r) => JSON.stringify(r.lines))],
      );
    }
  }
}
