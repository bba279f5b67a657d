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
 * The dead letters of the topic bound at $1, each **once**: a rejected message can be on the
 * dead-letter topic more than once — the producer is not idempotent (a retried send may write it
 * twice: docs/events.md, "Duplicates"), and a slice redelivered after a crash dead-letters its
 * messages again — so the copies that name the same source message (topic, partition and offset
 * all known) are one dead letter: its first copy, re-driven when any copy was (the first re-drive).
 * A copy without a full source is a dead letter of its own.
 */
const LETTERS = `WITH copies AS (
    SELECT d.*, r.redriven_at AS copy_redriven_at, r.redriven_by AS copy_redriven_by,
           CASE WHEN d.source_topic IS NOT NULL AND d.source_partition IS NOT NULL AND d.source_offset IS NOT NULL
                THEN concat_ws(':', 'source', d.source_topic, d.source_partition, d.source_offset)
                ELSE concat_ws(':', 'copy', d.kafka_partition, d.kafka_offset) END AS letter
    FROM dead_letters d
    LEFT JOIN dead_letter_redrives r ON r.topic = d.topic AND r.kafka_partition = d.kafka_partition AND r.kafka_offset = d.kafka_offset
    WHERE d.topic = $1),
  letters AS (
    SELECT DISTINCT ON (c.letter) c.*,
           first_value(c.copy_redriven_at) OVER same AS redriven_at, first_value(c.copy_redriven_by) OVER same AS redriven_by
    FROM copies c
    WINDOW same AS (PARTITION BY c.letter ORDER BY c.copy_redriven_at NULLS LAST)
    ORDER BY c.letter, c.kafka_partition, c.kafka_offset)`;

/**
 * Dead letters (migration 1796083200045): the tracker's mirror of the dead-letter topic, and the
 * re-drives `linewatch dlq retry` recorded. Waiting: mirrored and not re-driven. Both writes are
 * idempotent by (topic, partition, offset): a redelivered message or a second re-drive changes no
 * count; and the reads count copies of one rejected message once (`LETTERS`).
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

  /** Dead letters of the deployment's dead-letter topic mirrored and not re-driven (each once: see `LETTERS`). */
  async waiting(q: Queryable, topic: string): Promise<number> {
    const [row]: { n: number }[] = await managerOf(q).query(`${LETTERS} SELECT count(*)::int AS n FROM letters WHERE redriven_at IS NULL`, [
      topic,
    ]);
    return Number(row?.n ?? 0);
  }

  /** Dead letters by status, newest first (by when they failed, then by offset). */
  async list(
    q: Queryable,
    topic: string,
    filter: { readonly status: DeadLetterStatus; readonly limit: number },
  ): Promise<ListedDeadLetter[]> {
    const rows: unknown[] = await managerOf(q).query(
      `${LETTERS}
       SELECT * FROM letters
       WHERE ($2 = 'all' OR ($2 = 'waiting' AND redriven_at IS NULL) OR ($2 = 'redriven' AND redriven_at IS NOT NULL))
       ORDER BY coalesce(failed_at, mirrored_at) DESC, kafka_partition, kafka_offset DESC
       LIMIT $3`,
      [topic, filter.status, filter.limit],
    );
    return rows.map(listed);
  }
}
