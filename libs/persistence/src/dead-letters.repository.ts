import { managerOf, type Queryable } from './database';

/** One message of the dead-letter topic as the mirror keeps it: why and where from, not its content. */
export interface DeadLetterRecord {
  readonly topic: string;
  readonly partition: number;
  /** The message's offset on the dead-letter topic (a decimal string: Kafka offsets are 64-bit). */
  readonly offset: string;
  readonly code: string;
  readonly reason: string;
  readonly source: { readonly topic: string; readonly partition: number | null; readonly offset: string | null } | null;
  /** The eventId the rejected message named, when it could be read. */
  readonly eventId: string | null;
  /** `<dlq topic>:<partition>:<offset>` of the dead letter this one is a re-drive of (it failed again). */
  readonly retriedFrom: string | null;
  readonly failedAt: Date | null;
}

export interface DeadLetterRedrive {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly eventId: string | null;
  readonly at: Date;
  readonly by: string;
}

export interface ListedDeadLetter extends DeadLetterRecord {
  readonly redriven: { readonly at: Date; readonly by: string } | null;
}

export type DeadLetterStatus = 'waiting' | 'redriven' | 'all';

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
const listed = (r: any): ListedDeadLetter => ({
  topic: r.topic,
  partition: Number(r.kafka_partition),
  offset: String(r.kafka_offset),
  code: r.code,
  reason: r.reason,
  source:
    r.source_topic === null
      ? null
      : {
          topic: r.source_topic,
          partition: r.source_partition === null ? null : Number(r.source_partition),
          offset: r.source_offset === null ? null : String(r.source_offset),
        },
  eventId: r.event_id,
  retriedFrom: r.retried_from,
  failedAt: r.failed_at,
  redriven: r.redriven_at === null ? null : { at: r.redriven_at, by: r.redriven_by },
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Dead letters (migration 1796083200045): the tracker's mirror of the dead-letter topic, and the
 * re-drives `linewatch dlq retry` recorded. Waiting: mirrored and not re-driven. Both writes are
 * idempotent by (topic, partition, offset): a redelivered message or a second re-drive changes no count.
 */
export class DeadLettersRepository {
  /** Mirrors messages of the dead-letter topic; ones already mirrored are left as they are. */
  async mirror(q: Queryable, letters: readonly DeadLetterRecord[]): Promise<number> {
    if (letters.length === 0) return 0;
    const rows: unknown[] = await managerOf(q).query(
      `INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, code, reason, source_topic, source_partition, source_offset,
                                 event_id, retried_from, failed_at)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::bigint[],
                            $9::text[], $10::text[], $11::timestamptz[])
       ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING
       RETURNING kafka_offset`,
      [
        letters.map((l) => l.topic),
        letters.map((l) => l.partition),
        letters.map((l) => l.offset),
        letters.map((l) => l.code),
        letters.map((l) => l.reason),
        letters.map((l) => l.source?.topic ?? null),
        letters.map((l) => l.source?.partition ?? null),
        letters.map((l) => l.source?.offset ?? null),
        letters.map((l) => l.eventId),
        letters.map((l) => l.retriedFrom),
        letters.map((l) => l.failedAt),
      ],
    );
    return rows.length;
  }

  /** Records re-drives; a dead letter re-driven again keeps its latest re-drive. */
  async recordRedrives(q: Queryable, given: readonly DeadLetterRedrive[]): Promise<void> {
    if (given.length === 0) return;
    // One row per dead letter in a statement (ON CONFLICT DO UPDATE cannot touch a row twice): the last wins.
    const redrives = [...new Map(given.map((r) => [`${r.topic}\u0000${r.partition}\u0000${r.offset}`, r])).values()];
    await managerOf(q).query(
      `INSERT INTO dead_letter_redrives (topic, kafka_partition, kafka_offset, event_id, redriven_at, redriven_by)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
       ON CONFLICT (topic, kafka_partition, kafka_offset)
       DO UPDATE SET redriven_at = excluded.redriven_at, redriven_by = excluded.redriven_by, event_id = excluded.event_id`,
      [
        redrives.map((r) => r.topic),
        redrives.map((r) => r.partition),
        redrives.map((r) => r.offset),
        redrives.map((r) => r.eventId),
        redrives.map((r) => r.at),
        redrives.map((r) => r.by),
      ],
    );
  }

  /** Dead letters of the deployment's dead-letter topic mirrored and not re-driven. */
  async waiting(q: Queryable, topic: string): Promise<number> {
    const [row]: { n: number }[] = await managerOf(q).query(
      `SELECT count(*)::int AS n FROM dead_letters d
       WHERE d.topic = $1
         AND NOT EXISTS (SELECT 1 FROM dead_letter_redrives r
                         WHERE r.topic = d.topic AND r.kafka_partition = d.kafka_partition AND r.kafka_offset = d.kafka_offset)`,
      [topic],
    );
    return Number(row?.n ?? 0);
  }

  /** Dead letters by status, newest first (by when they failed, then by offset). */
  async list(
    q: Queryable,
    topic: string,
    filter: { readonly status: DeadLetterStatus; readonly limit: number },
  ): Promise<ListedDeadLetter[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT d.*, r.redriven_at, r.redriven_by
       FROM dead_letters d
       LEFT JOIN dead_letter_redrives r
         ON r.topic = d.topic AND r.kafka_partition = d.kafka_partition AND r.kafka_offset = d.kafka_offset
       WHERE d.topic = $3
         AND ($1 = 'all' OR ($1 = 'waiting' AND r.redriven_at IS NULL) OR ($1 = 'redriven' AND r.redriven_at IS NOT NULL))
       ORDER BY coalesce(d.failed_at, d.mirrored_at) DESC, d.kafka_partition, d.kafka_offset DESC
       LIMIT $2`,
      [filter.status, filter.limit, topic],
    );
    return rows.map(listed);
  }
}
